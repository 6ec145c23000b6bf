// What the default cohort is, for the pages' labels: its file name and whether it is the synthetic
// study cohort (COHORT=path npm run build publishes another file; see cohort.csv.ts).
import {basename} from "node:path";

const path = process.env.COHORT || "data/kato2012-synthetic.csv";
process.stdout.write(JSON.stringify({name: basename(path), synthetic: !process.env.COHORT}));
