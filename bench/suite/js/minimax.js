// minimax — perfect-play tic-tac-toe: the full minimax search from the empty board,
// then 6 opening positions of 1-3 marks placed by the seed. Each search scores
// every free cell of its position; the checksum mixes those scores and the best move.
// Reads the seed mode from stdin ("0" = fixed). The board is an Array of 9 cells,
// a new array per move; winner check, free cells and placing are map/filter.
(function () {
  'use strict';
  // First stdin line, portable across node and GraalJS: the GraalJS runner
  // (graaljs/) injects a host function __benchReadLine; node reads fd 0.
  function readStdinLine() {
    if (typeof globalThis.__benchReadLine === "function") {
      const l = globalThis.__benchReadLine();
      return l == null ? "" : String(l);
    }
    if (typeof require === "function") {
      try { return require("fs").readFileSync(0, "utf8").split("\n")[0]; } catch (e) { return ""; }
    }
    return "";
  }
  // Mode: "0"/empty/garbage -> fixed seed 1 (deterministic, oracle-checked);
  // any other integer -> a random seed in [1, 2147483646] (not oracle-checked).
  function seedOf(line) {
    const m = parseInt(String(line).trim(), 10);
    if (Number.isNaN(m) || m === 0) return 1;
    return Math.floor(Math.random() * 2147483646) + 1;
  }
  // Park-Miller MINSTD token generator (x*16807 < 2^46: exact in doubles).
  function r1(x) { return (x * 16807) % 2147483647; }
  function hashAt(seed, i) { return r1(r1(seed + i)); }
  const P = 1000000007;
  const POSITIONS = 6;

  const EMPTY = ".", X = "X", O = "O";
  const LINES = [[0, 1, 2], [3, 4, 5], [6, 7, 8], [0, 3, 6], [1, 4, 7], [2, 5, 8], [0, 4, 8], [2, 4, 6]];
  const EMPTY_BOARD = Array(9).fill(EMPTY);
  const CELLS = [0, 1, 2, 3, 4, 5, 6, 7, 8];

  function other(p) { return p === X ? O : X; }
  function lineWinner(board, [a, b, c]) {
    return board[a] !== EMPTY && board[a] === board[b] && board[a] === board[c] ? board[a] : EMPTY;
  }
  function winner(board) {
    const winners = LINES.map(l => lineWinner(board, l)).filter(c => c !== EMPTY);
    return winners.length > 0 ? winners[0] : EMPTY;
  }
  function freeCells(board) { return CELLS.filter(i => board[i] === EMPTY); }
  function place(board, i, p) { return board.map((c, j) => (j === i ? p : c)); }
  // Score from X's point of view; quicker wins and slower losses score higher.
  function minimax(board, turn, depth) {
    const w = winner(board);
    if (w !== EMPTY) return w === X ? 10 - depth : depth - 10;
    const free = freeCells(board);
    if (free.length === 0) return 0;
    const scores = free.map(i => minimax(place(board, i, turn), other(turn), depth + 1));
    return turn === X
      ? scores.reduce((m, s) => (s > m ? s : m), -100)
      : scores.reduce((m, s) => (s < m ? s : m), 100);
  }
  // Scores every move of `player` and mixes them with the (first) best move.
  function analyse(board, player) {
    const moves = freeCells(board).map(i => ({ index: i, score: minimax(place(board, i, player), other(player), 1) }));
    const best = moves.reduce((b, m) => ((player === X ? m.score > b.score : m.score < b.score) ? m : b),
      { index: -1, score: player === X ? -1000 : 1000 });
    const mix = moves.reduce((acc, m) => (acc * 31 + (m.index + 1) * (m.score + 20)) % P, 0);
    return (mix * 10 + best.index) % P;
  }
  // Position t: 1 + t % 3 marks, X first, each on a free cell chosen by the seed.
  function opening(seed, t) {
    let board = EMPTY_BOARD;
    for (let j = 0; j < 1 + t % 3; j++) {
      const free = freeCells(board);
      board = place(board, free[hashAt(seed + t * 17, j) % free.length], j % 2 === 0 ? X : O);
    }
    return board;
  }
  const seed = seedOf(readStdinLine());
  let acc = analyse(EMPTY_BOARD, X);
  for (let t = 0; t < POSITIONS; t++) {
    acc = (acc * 131 + analyse(opening(seed, t), t % 3 === 1 ? X : O)) % P;
  }
  console.log(String(acc));
})();
