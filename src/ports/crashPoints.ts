/**
 * Fault injection for the crash-and-restart tests: a use case names the points
 * where dying would leave work half-done, and the composition root decides what
 * reaching one does (in local mode with PT_TEST_CRASH_AT set: die at once, as a
 * kill -9 would; everywhere else: nothing). Use cases never read the environment.
 */
export type CrashPoint = (point: string) => void;
