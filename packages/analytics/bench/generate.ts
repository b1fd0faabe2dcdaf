// Writes the benchmark export in its own process, so the generator's memory does not count
// towards the benchmark's peak RSS. Usage: generate.ts <out.zip> <plays>
import { writeDataExport } from '@spoti/mock';

const [out, plays] = process.argv.slice(2);
const summary = await writeDataExport({
  seed: 2026,
  persona: 'eclectic-explorer',
  plays: Number(plays),
  out: out as string,
  accountData: true,
});
process.stdout.write(
  JSON.stringify({
    plays: summary.plays,
    files: summary.files.length,
    bytes: summary.bytes,
    rows: summary.files.reduce((s, f) => s + f.rows, 0),
  }),
);
