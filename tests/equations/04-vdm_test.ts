import { registerChecks } from "./run_checks.ts";
import { checks, typeset } from "../../checks/04-vdm.checks.ts";
registerChecks("04-vdm", checks, typeset);
