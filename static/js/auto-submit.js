// Forms marked data-auto-submit (the logout hand-over to the identity provider) go on by
// themselves; without JavaScript the person presses the button.
export function initAutoSubmit(root = document) {
  root.querySelectorAll("form[data-auto-submit]").forEach((form) => form.requestSubmit());
}
