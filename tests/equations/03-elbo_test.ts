import { registerChecks } from "./run_checks.ts";
import { checks, typeset } from "../../checks/03-elbo.checks.ts";
registerChecks("03-elbo", checks, typeset);
