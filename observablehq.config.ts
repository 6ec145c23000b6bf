// Observable Framework configuration. See https://observablehq.com/framework/config
import {existsSync} from "node:fs";

// Sidebar: each entry is listed once its page exists (Framework fails the build on a missing page).
const page = (name: string, path: string) => (existsSync(`src${path === "/" ? "/index" : path}.md`) ? [{name, path}] : []);

export default {
  root: "src",
  title: "Second SCT survival notebook",
  pages: [
    {name: "Overview", path: "/"},
    ...page("Your data", "/upload"),
    {
      name: "The study",
      pages: [
        ...page("Cohort", "/cohort"),
        ...page("Outcomes", "/outcomes"),
        ...page("Subgroups", "/subgroups"),
        ...page("Model", "/model"),
        ...page("Relapse timing", "/relapse-timing"),
        ...page("Acute GVHD", "/gvhd")
      ]
    },
    {
      name: "About",
      pages: [
        ...page("Methods & validation", "/methods"),
        ...page("Write your own", "/write-your-own")
      ]
    }
  ],
  pager: false,
  // No third-party requests: the default theme would load Google Fonts. The data: favicon stops the
  // browser's automatic /favicon.ico request; no-referrer keeps the view (in the fragment) private.
  globalStylesheets: [],
  head: '<meta name="referrer" content="no-referrer"><link rel="icon" href="data:,">',
  footer:
    "Synthetic cohort calibrated to Kato et al., Bone Marrow Transplant 2012;47:1307–1311. All statistics are computed in your browser; no data leave it.",
  search: false,
  linkify: true,
  preserveExtension: false
};
