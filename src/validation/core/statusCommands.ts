// The commands a status bar click runs: apart from the wording (keyStatus.ts, a lazy chunk), so
// the status bar item can be created at activation without loading it.
export const LOGIN_COMMAND = 'avala.login';
export const STATUS_ACTIONS_COMMAND = 'avala.showKeyStatus';
