// rSnippet's `ties` option: the Cox call and its comment name the tie method the view uses (the Model
// page's Efron/Breslow choice); the default stays Efron (R's and the engine's default). The engine's
// Breslow fit itself is checked against R's coxph(..., ties = "breslow") in test/study/model.test.ts.
import {assert, describe, it} from "vitest";
import {rSnippet, type RSnippetSpec} from "../../src/study/rSnippet.js";

const base: RSnippetSpec = {fileName: "kato2012-synthetic.csv", covariates: ["age_group", "interval_days"], analyses: ["cox", "zph"]};

describe("rSnippet ties", () => {
  it("default and ties: 'efron' write coxph(..., ties = \"efron\")", () => {
    for (const code of [rSnippet(base), rSnippet({...base, ties: "efron"}), rSnippet({...base, ties: null})]) {
      assert.include(code, "# Cox proportional hazards model (Efron ties)\n");
      assert.include(code, 'cox <- coxph(Surv(os_days, os_status != 0) ~ age_group + interval_days, data = d, ties = "efron")');
      assert.notInclude(code, "breslow");
    }
  });

  it("ties: 'breslow' writes coxph(..., ties = \"breslow\") and says so; nothing else changes", () => {
    const efron = rSnippet({...base, endpoint: "relapse", analyses: ["cox", "finegray"]});
    const breslow = rSnippet({...base, endpoint: "relapse", analyses: ["cox", "finegray"], ties: "breslow"});
    assert.include(breslow, "# Cox proportional hazards model (Breslow ties), cause-specific: other causes censored");
    assert.include(breslow, 'cox <- coxph(Surv(event_days, event == 1) ~ age_group + interval_days, data = d, ties = "breslow")');
    assert.notInclude(breslow, "efron");
    assert.strictEqual(breslow, efron.replace('ties = "efron"', 'ties = "breslow"').replace("(Efron ties)", "(Breslow ties)"));
  });

  it("refuses an unknown tie method", () => {
    assert.throws(() => rSnippet({...base, ties: "exact" as "efron"}), RangeError, "unknown tie method");
  });
});
