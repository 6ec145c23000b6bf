// Presentation for the user's own data: the file picker / drop zone (its value is the chosen File; the
// bytes are read by the study layer with File.arrayBuffer, never fetched), a progress line, the banner
// every analysis page shows while the user's data are in use ("Your data: <file> (sha256 …)" with the
// control that forgets them, and "same data" / "different data" for a shared link), and the small-cell
// protection toggle. Every name and value is set as text (never parsed as HTML).
import {h} from "./dom.js";

/** Options of {@link uploadPanel}. */
export interface UploadPanelOptions {
  /** File types offered by the picker (default CSV, TSV, text, JSON, Arrow, Parquet). */
  accept?: string;
  /** Label of the drop zone. */
  label?: string;
}

const ACCEPT = ".csv,.tsv,.tab,.txt,.json,.ndjson,.jsonl,.arrow,.arrows,.feather,.ipc,.parquet";

/**
 * A file picker that also takes a dropped file. Use with Framework's `view()`: its value is the chosen
 * File (null until one is chosen), and it dispatches `input` when a file is chosen or dropped.
 */
export function uploadPanel(options: UploadPanelOptions = {}): HTMLElement & {value: File | null} {
  const {accept = ACCEPT, label = "Choose a file, or drop it here"} = options;
  const input = h("input", {type: "file", accept, class: "sv-upload-input", "aria-label": "Cohort file"});
  const status = h("div", {class: "sv-upload-chosen", style: "font-size:13px;margin-top:.35rem;min-height:1.2em"});
  const zone = h(
    "label",
    {
      class: "sv-upload-zone",
      style:
        "display:block;padding:1.25rem 1rem;border:2px dashed color-mix(in srgb, currentColor 30%, transparent);border-radius:8px;text-align:center;cursor:pointer;font:14px/1.4 var(--sans-serif, system-ui, sans-serif)"
    },
    h("div", {style: "font-weight:600;margin-bottom:.4rem"}, label),
    h("div", {style: "font-size:12px;opacity:.75;margin-bottom:.6rem"}, "CSV, TSV, JSON, Arrow or Parquet. The file is read by this page in your browser and is never uploaded anywhere."),
    input,
    status
  );
  const root = h("form", {class: "sv-upload-panel"}, zone) as HTMLFormElement & {value: File | null};
  root.addEventListener("submit", (e) => e.preventDefault());
  root.value = null;
  const choose = (file: File | null | undefined) => {
    if (!file) return;
    root.value = file;
    status.textContent = `Chosen: ${file.name} (${file.size.toLocaleString("en-US")} bytes)`;
    root.dispatchEvent(new Event("input", {bubbles: true}));
  };
  // The picker's own change event is stopped here: the panel's value is the File, announced once.
  input.addEventListener("input", (e) => e.stopPropagation());
  input.addEventListener("change", (e) => {
    e.stopPropagation();
    choose(input.files?.[0]);
  });
  zone.addEventListener("dragover", (e) => {
    e.preventDefault();
    zone.style.borderColor = "var(--theme-foreground-focus, #3b5fc0)";
  });
  zone.addEventListener("dragleave", () => (zone.style.borderColor = ""));
  zone.addEventListener("drop", (e) => {
    e.preventDefault();
    zone.style.borderColor = "";
    choose(e.dataTransfer?.files?.[0]);
  });
  return root;
}

/** A progress line: "Reading cohort.csv in a background worker — parsing… 1.2 s". */
export function progressLine(): HTMLElement & {update(text: string): void; done(text: string): void} {
  const el = h("div", {class: "sv-upload-progress", role: "status", "aria-live": "polite", style: "font-size:13px;min-height:1.3em;margin:.4rem 0"}) as unknown as HTMLElement & {update(text: string): void; done(text: string): void};
  el.update = (text) => {
    el.dataset.state = "working";
    el.textContent = `⏳ ${text}`;
  };
  el.done = (text) => {
    el.dataset.state = "done";
    el.textContent = text;
  };
  return el;
}

/** What the banner says about the data in use and the link. */
export interface DataBannerOptions {
  /** The user's own data in use, or null when the page shows the published cohort. */
  uploaded: {name: string; fingerprint: string; rows: number} | null;
  /** The stored data could not be used (the page fell back to the published cohort). */
  failed?: string | null;
  /** The published cohort's label (when no upload is in use). */
  published?: {name: string; fingerprint: string | null};
  /** The dataset the page's link was made on, when the link names one. */
  link?: {name: string; fingerprint: string} | null;
  /** Called when the user asks to forget the data; the banner then asks the page to reload. */
  onForget?: () => Promise<void>;
  /** Where the upload page is (default "./upload"). */
  uploadHref?: string;
}

const short = (fingerprint: string) => `${fingerprint.slice(0, 12)}…`;

/**
 * The banner at the top of every analysis page: "Your data: <file> (sha256 …)" with a "Return to the study
 * cohort / forget my data" button while the user's data are in use; and, when the page was opened from a
 * link that names a dataset, "Same data" or "Different data". Returns null when there is nothing to say.
 */
export function dataBanner(options: DataBannerOptions): HTMLElement | null {
  const {uploaded, failed = null, published, link = null, onForget, uploadHref = "./upload"} = options;
  if (!uploaded && !failed && !link) return null;
  const lines: HTMLElement[] = [];
  // The upload page learns which file the link was made on, to say "same data" once it is loaded.
  const linkedUpload = link && /^[0-9a-f]{64}$/.test(link.fingerprint) ? `${uploadHref}#sha256=${link.fingerprint}${link.name ? `&data=${encodeURIComponent(link.name)}` : ""}` : uploadHref;
  if (uploaded) {
    const button = h("button", {type: "button", class: "sv-forget-data"}, "Return to the study cohort / forget my data");
    button.addEventListener("click", async () => {
      button.disabled = true;
      button.textContent = "Forgetting…";
      try {
        await onForget?.();
        button.textContent = "Forgotten — reloading";
        location.reload();
      } catch (e) {
        button.disabled = false;
        button.textContent = `Could not forget the data: ${e instanceof Error ? e.message : String(e)}`;
      }
    });
    lines.push(
      h(
        "div",
        {class: "sv-your-data", style: "display:flex;flex-wrap:wrap;gap:.5rem 1rem;align-items:center"},
        h("span", {}, h("b", {}, "Your data: "), uploaded.name, ` (sha256 ${short(uploaded.fingerprint)}, ${uploaded.rows.toLocaleString("en-US")} rows) — read in this browser only.`),
        button
      )
    );
  }
  if (failed) lines.push(h("div", {class: "sv-your-data-failed"}, h("b", {}, "Your stored data could not be used: "), failed, ". This page shows the study cohort. ", h("a", {href: uploadHref}, "Your data"), " lets you load the file again."));
  if (link) {
    const loaded = uploaded ? {name: uploaded.name, fingerprint: uploaded.fingerprint} : published ?? null;
    const same = loaded?.fingerprint === link.fingerprint;
    const linkName = link.name || "a file";
    lines.push(
      same
        ? h("div", {class: "sv-same-data", "data-match": "same"}, h("b", {}, "Same data: "), `this link was made on ${linkName} (sha256 ${short(link.fingerprint)}), the data loaded here.`)
        : h(
            "div",
            {class: "sv-different-data", "data-match": "different"},
            h("b", {}, "Different data: "),
            `this link was made on ${linkName} (sha256 ${short(link.fingerprint)}); this page shows ${loaded ? `${loaded.name}${loaded.fingerprint ? ` (sha256 ${short(loaded.fingerprint)})` : ""}` : "another cohort"}. Settings are applied where the columns match. To see the linked view, load that file on `,
            h("a", {href: linkedUpload}, "Your data"),
            "."
          )
    );
  }
  return h(
    "div",
    {
      class: "sv-data-banner",
      role: "status",
      style: "margin:0 0 1rem;padding:.6rem .8rem;border-radius:6px;border:1px solid #3b5fc0;background:color-mix(in srgb, #3b5fc0 8%, transparent);font:14px/1.45 var(--sans-serif, system-ui, sans-serif);display:grid;gap:.35rem"
    },
    ...lines
  );
}

/** Options of {@link smallCellToggle}. */
export interface SmallCellToggleOptions {
  enabled: boolean;
  threshold: number;
}

/**
 * Small-cell protection: a checkbox and a threshold. Its value is `{enabled, threshold}`; it dispatches
 * `input` on change. Counts from 1 to threshold − 1 are then shown as "<threshold" in tables, risk tables
 * and CSV exports of the pages that honour it.
 */
export function smallCellToggle(options: SmallCellToggleOptions): HTMLElement & {value: {enabled: boolean; threshold: number}} {
  const box = h("input", {type: "checkbox", class: "sv-small-cells"}) as HTMLInputElement;
  box.checked = options.enabled;
  const number = h("input", {type: "number", min: 2, max: 100, step: 1, value: options.threshold, style: "width:4.5em", "aria-label": "Threshold"}) as HTMLInputElement;
  const root = h(
    "form",
    {class: "sv-small-cell-toggle", style: "font:14px/1.4 var(--sans-serif, system-ui, sans-serif);display:flex;gap:.5rem;align-items:center;flex-wrap:wrap"},
    h("label", {style: "display:flex;gap:.35rem;align-items:center"}, box, "Hide small counts"),
    h("label", {style: "display:flex;gap:.35rem;align-items:center"}, "below", number)
  ) as HTMLFormElement & {value: {enabled: boolean; threshold: number}};
  root.addEventListener("submit", (e) => e.preventDefault());
  const read = () => {
    const t = Math.round(Number(number.value));
    return {enabled: box.checked, threshold: Number.isFinite(t) && t >= 2 && t <= 100 ? t : options.threshold};
  };
  root.value = read();
  for (const el of [box, number])
    el.addEventListener("input", (e) => {
      e.stopPropagation();
      root.value = read();
      root.dispatchEvent(new Event("input", {bubbles: true}));
    });
  return root;
}
