import { registerChecks } from "./run_checks.ts";
import { checks, typeset } from "../../checks/06-score-sde.checks.ts";
registerChecks("06-score-sde", checks, typeset);
