import { setLogLevel } from "../../src/lib/log";

/** A green run prints its summary only: the Worker's logs are for production. */
setLogLevel("silent");
