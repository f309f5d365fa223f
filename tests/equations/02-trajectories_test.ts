import { registerChecks } from "./run_checks.ts";
import { checks } from "../../checks/02-trajectories.checks.ts";
registerChecks("02-trajectories", checks);
