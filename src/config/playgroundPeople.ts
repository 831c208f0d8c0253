/**
 * The six seed people who exist in the Agents Playground (currentUser + five users).
 * Here, not in runtime/, because the environment schema checks PT_PLAYGROUND_AS
 * against it before anything is composed.
 */
export const PLAYGROUND_PEOPLE = ['sam-patel', 'daniel-okafor', 'grace-whitfield', 'tom-reynolds', 'helen-carter', 'priya-shah'];
