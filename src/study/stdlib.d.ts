// Types for the part of Framework's standard library the study layer uses outside pages (src/study/
// publishedFile.ts): FileAttachment, imported from "npm:@observablehq/stdlib" (Framework serves it as its
// own /_observablehq/stdlib.js; there is no such package in node_modules).
declare module "npm:@observablehq/stdlib" {
  export interface FileAttachmentHandle {
    readonly name: string;
    readonly mimeType: string;
    url(): Promise<string>;
    arrayBuffer(): Promise<ArrayBuffer>;
  }
  export function FileAttachment(name: string): FileAttachmentHandle;
}
