import { registerChecks } from "./run_checks.ts";
import { checks, typeset } from "../../checks/01-reverse-step.checks.ts";
registerChecks("01-reverse-step", checks, typeset);
