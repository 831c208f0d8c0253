/**
 * Keeping the claim ledger bounded. A claim only has to outlive the period in
 * which it prevents a repeat (a reminder's week, a digest's day); after that
 * it is dead weight that every reader pays for. Engines that can delete
 * implement this (SQLite, Azure Tables); SharePoint lists are never deleted
 * from, which is one reason the ledger moves to Azure at scale.
 */
export interface LedgerPruning {
  /** Deletes the claims of `kind` made before `before`; returns how many went. */
  pruneClaims(kind: string, before: string): Promise<number>;
}
