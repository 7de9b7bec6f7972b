export const hashWorkerRole: 'intake-password-hash';
