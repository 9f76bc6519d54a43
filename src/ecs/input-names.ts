import { inputNames } from "../lib/action-inputs.js";

/** Input names of the ecs-blue-green action, checked against its action.yml; the core's messages name inputs through these. */
export const ECS_INPUTS = inputNames("ecs-blue-green");
