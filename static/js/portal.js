// Progressive enhancement only: every page works without JavaScript.
// base.html loads this file as a module; browsers too old for ES modules
// skip it and get the plain HTML pages.
import { initAll } from "./govuk-frontend.min.js";
import { initAutoSubmit } from "./auto-submit.js";
import { initFollowUps } from "./follow-ups.js";
import { initSessionTimeout } from "./session-timeout.js";

initAll();
initFollowUps();
initAutoSubmit();
initSessionTimeout();
