// Observable Framework configuration. See https://observablehq.com/framework/config
export default {
  root: "src",
  title: "Second SCT survival notebook",
  // No third-party requests: the default theme would load Google Fonts.
  globalStylesheets: [],
  head: '<meta name="referrer" content="no-referrer">',
  footer: "Synthetic cohort calibrated to Kato et al., Bone Marrow Transplant 2012;47:1307–1311. Statistics computed in your browser.",
  search: false,
  linkify: true,
  preserveExtension: false
};
