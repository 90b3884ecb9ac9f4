// The range reader (www/range-worker.js) is a worker entry with no exports: the analysis worker
// (worker.js, through worker/ranges.js) starts it for each extra byte range of a large file. The
// package exports it as `tierwise/range-worker` so a bundler can take it as an entry point beside
// `tierwise/worker` (README "Use from a bundler"); its protocol is documented at the top of the
// module and is private to the two workers.

export {};
