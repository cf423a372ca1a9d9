/** Classification markings: policy, parse, format, compare, roll-up, access, portion detection. */
export type { Control, Level, Marking } from './marking.js';
export { OWNER_COUNTRY } from './marking.js';
export type { CompartmentRule, MarkingPolicy } from './policy.js';
export { defaultPolicy, levelOf, loadPolicy, loadPolicyFile, parsePolicy } from './policy.js';
export { defaultMarking, parseMarking } from './parse.js';
export { formatBanner, formatPortion } from './format.js';
export type { MarkingOrder } from './compare.js';
export { compareMarkings, dominates, markingsEqual } from './compare.js';
export { rollUp } from './rollup.js';
export type { UserAccess, UserAccessInput } from './clearance.js';
export { canAccess, userAccess } from './clearance.js';
export type { PortionMatch } from './portions.js';
export { findPortionMarkings, markingForSpan } from './portions.js';
