// Follow-up questions ("Mikä?") are always in the page, so they work without JavaScript.
// With JavaScript, each is hidden until the option it follows is chosen. Hidden follow-ups
// are not sent as answers: the server drops answers whose condition is false.
export function initFollowUps(root = document) {
  const followUps = root.querySelectorAll(".portal-follow-up[data-follows]");
  if (!followUps.length) return;

  const update = () => {
    followUps.forEach((block) => {
      const name = block.dataset.follows;
      const chosen = Array.from(
        root.querySelectorAll(`input[name="${CSS.escape(name)}"]:checked`),
      ).map((input) => input.value);
      block.hidden = !chosen.includes(block.dataset.value);
    });
  };

  const names = new Set(Array.from(followUps, (block) => block.dataset.follows));
  names.forEach((name) => {
    root.querySelectorAll(`input[name="${CSS.escape(name)}"]`).forEach((input) => {
      input.addEventListener("change", update);
    });
  });
  update();
}
