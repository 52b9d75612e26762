// Placeholder until the local runtime lands: `npm start` must never crash on a fresh clone.
console.log('Fundshare: the local backend is not built yet. See README.md for what works today (npm test).');
