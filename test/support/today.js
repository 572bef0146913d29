// The day the tests run on, for the EKS version calendar (config/eks-versions.ts): its verdicts
// (standard, extended, past support) depend on the date, and the suite must not change with it.
process.env.FLEET_TODAY = process.env.FLEET_TODAY || '2026-12-07';
