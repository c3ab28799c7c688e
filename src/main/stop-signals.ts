/**
 * The signals that stop a long-running command cleanly. SIGHUP stops too: there is no config
 * reload, and its default action would end the process with no orderly stop.
 */
export const STOP_SIGNALS: readonly NodeJS.Signals[] = ['SIGINT', 'SIGTERM', 'SIGHUP'];
