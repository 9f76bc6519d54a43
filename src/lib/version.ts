/** The suite's version, recorded in audit rows and shown by `launchpad --version`; a test keeps it equal to package.json's. */
export const LAUNCHPAD_VERSION = "0.1.0";
