// The real-VS-Code test harness: code-server in a process group, headless Chromium, logs.
export * from './browser';
export * from './debian';
export * from './install';
export * from './packaging';
export * from './paths';
export * from './processes';
export * from './vscode';
export * from './wait';
export * from './testRunnerExtension';
export * from './report';
