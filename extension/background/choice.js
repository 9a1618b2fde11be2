// The admin's choice in the popup — the components, counts and options — and the plan made from it, owned here and
// kept in storage.session (a worker stopped in between finds it again). The popup sends the choice and draws the
// view of it kept beside it (`choiceView`: names, grants, counts, warnings — runs/views.js), never the plan; every
// later question about it (pre-flight, check, register) names the choice by its id, so what is checked and
// registered is the plan the background made, never a plan a page sends.
import { plan } from "../pkg/lucs_registrar.js";
import { api } from "../browser.js";
import { addHandlers } from "../messages.js";
import { choiceView } from "../runs/views.js";

let current;
const loaded = () => (current ??= api.storage.session.get("choice").then(({ choice }) => choice ?? null));

/** The choice `id` ({ id, request, plan }), or an error naming the field when it is no longer the last made. */
export async function chosen(id) {
  const choice = await loaded();
  if (!choice || choice.id !== id) {
    throw Object.assign(new Error("choice must be the last choice made in the popup: it changed since, so ask again"), { field: "choice" });
  }
  return choice;
}

/** The plan of the choice `id` (see chosen). */
export const chosenPlan = async (id) => (await chosen(id)).plan;

// The choice and its view are written together, and the last check (of the choice before) goes with them.
async function keep(choice) {
  current = Promise.resolve(choice);
  const view = choice && choiceView(choice);
  await api.storage.session.set({ choice, choiceView: view, preview: null });
  return view;
}

addHandlers("page", {
  // `request`: the components (code, count or instances, target), prefix and options, as the planner takes them.
  choose: {
    shape: { request: "object" },
    async handle({ request }) {
      let made;
      try {
        made = plan(request);
      } catch (err) {
        // An invalid choice leaves no plan behind to be checked or registered by mistake.
        await keep(null);
        throw err;
      }
      return keep({ id: crypto.randomUUID(), request, plan: made });
    },
  },
});
