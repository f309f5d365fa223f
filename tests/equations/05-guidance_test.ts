import { registerChecks } from "./run_checks.ts";
import { checks } from "../../checks/05-guidance.checks.ts";
registerChecks("05-guidance", checks);
