import { registerChecks } from "./run_checks.ts";
import { checks, typeset } from "../../checks/05-guidance.checks.ts";
registerChecks("05-guidance", checks, typeset);
