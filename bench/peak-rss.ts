/**
 * Preloaded into each measured process (`node --import …/peak-rss.js`): when
 * the process exits, write its peak resident set size in kilobytes
 * (getrusage ru_maxrss) to the file named by FEDCHECK_BENCH_RSS_FILE. The
 * benchmark reads it back; the measured program itself is not changed.
 */
import { writeFileSync } from 'node:fs';

const target = process.env.FEDCHECK_BENCH_RSS_FILE;
if (target !== undefined && target !== '') {
  process.on('exit', () => {
    writeFileSync(target, `${process.resourceUsage().maxRSS}\n`);
  });
}
