/** Plain-English descriptions of policy rules, for the tab and cards. */
import { Duration } from 'luxon';
import type { PolicyPack, Requirement, StaffGroup } from './schema';

export function describeDuration(iso: string): string {
  const d = Duration.fromISO(iso);
  const parts: string[] = [];
  const unit = (n: number, word: string) => (n ? [`${n} ${word}${n === 1 ? '' : 's'}`] : []);
  parts.push(...unit(d.years, 'year'), ...unit(d.months, 'month'), ...unit(d.weeks, 'week'), ...unit(d.days, 'day'), ...unit(d.hours, 'hour'), ...unit(d.minutes, 'minute'));
  return parts.join(' ') || iso;
}

/** "every month", "every 12 weeks": a lone 1 reads better without the number. */
function every(iso: string): string {
  return `every ${describeDuration(iso).replace(/^1 ([a-z]+)$/, '$1')}`;
}

export function describeRequirement(r: Requirement): string {
  switch (r.kind) {
    case 'interval':
      return `${every(r.target)}${r.hardMaximum ? `, never more than ${describeDuration(r.hardMaximum)} apart` : ''}`;
    case 'rolling-minimum':
      return `at least ${r.count} in any ${describeDuration(r.window)}`;
    case 'per-term':
      return `at least ${r.minimum} each ${r.term}`;
    case 'external-visits':
      return `plus at least ${r.minimumPerYear} external visits each ${r.yearBasis} year`;
  }
}

export function describeGroup(policy: PolicyPack, group: StaffGroup) {
  return {
    policyId: policy.id,
    policyName: policy.name,
    staffGroupId: group.id,
    staffGroupName: group.name,
    frequency: group.requirements.map(describeRequirement).join('; '),
    duration: { default: group.duration.defaultMinutes, min: group.duration.minMinutes, max: group.duration.maxMinutes },
    groupSupervision: group.group.allowed,
    urgentWindow: policy.urgent ? describeDuration(policy.urgent.window) : undefined,
    rebookWindow: describeDuration(policy.rebooking.window),
    timeZone: policy.timeZone,
  };
}
