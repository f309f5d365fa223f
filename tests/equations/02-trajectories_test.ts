import { registerChecks } from "./run_checks.ts";
import { checks, typeset } from "../../checks/02-trajectories.checks.ts";
registerChecks("02-trajectories", checks, typeset);
