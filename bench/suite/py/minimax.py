# minimax — perfect-play tic-tac-toe: the full minimax search from the empty board,
# then 6 opening positions of 1-3 marks placed by the seed. Each search scores
# every free cell of its position; the checksum mixes those scores and the best move.
# Reads the seed mode from stdin ("0" = fixed). The board is a list of 9 cells,
# a new list per move; winner check, free cells and placing are list comprehensions.
import secrets
import sys


def read_stdin_line():
    """First stdin line ("" on EOF)."""
    line = sys.stdin.readline()
    return line


def seed_of(line):
    """"0"/empty/garbage -> fixed seed 1 (deterministic, oracle-checked);
    any other integer -> a CSPRNG seed in [1, 2147483646] (not oracle-checked)."""
    try:
        m = int(line.strip())
    except ValueError:
        return 1
    if m == 0:
        return 1
    return secrets.randbelow(2147483646) + 1


def r1(x):
    """Park-Miller MINSTD step."""
    return (x * 16807) % 2147483647


def hash_at(seed, i):
    return r1(r1(seed + i))


P = 1000000007
POSITIONS = 6

EMPTY, X, O = ".", "X", "O"
LINES = [[0, 1, 2], [3, 4, 5], [6, 7, 8], [0, 3, 6], [1, 4, 7], [2, 5, 8], [0, 4, 8], [2, 4, 6]]
EMPTY_BOARD = [EMPTY] * 9


def other(p):
    return O if p == X else X


def line_winner(board, line):
    a, b, c = line
    return board[a] if board[a] != EMPTY and board[a] == board[b] == board[c] else EMPTY


def winner(board):
    winners = [w for w in (line_winner(board, l) for l in LINES) if w != EMPTY]
    return winners[0] if winners else EMPTY


def free_cells(board):
    return [i for i in range(9) if board[i] == EMPTY]


def place(board, i, p):
    return [p if j == i else board[j] for j in range(9)]


def minimax(board, turn, depth):
    """Score from X's point of view; quicker wins and slower losses score higher."""
    w = winner(board)
    if w != EMPTY:
        return 10 - depth if w == X else depth - 10
    free = free_cells(board)
    if not free:
        return 0
    scores = [minimax(place(board, i, turn), other(turn), depth + 1) for i in free]
    return max(scores) if turn == X else min(scores)


def analyse(board, player):
    """Scores every move of `player`; mixes them with the (first) best move."""
    moves = [(i, minimax(place(board, i, player), other(player), 1)) for i in free_cells(board)]
    pick = max if player == X else min
    best_index, _ = pick(moves, key=lambda m: m[1])
    mix = 0
    for i, s in moves:
        mix = (mix * 31 + (i + 1) * (s + 20)) % P
    return (mix * 10 + best_index) % P


def opening(seed, t):
    """Position t: 1 + t % 3 marks, X first, each on a free cell chosen by the seed."""
    board = EMPTY_BOARD
    for j in range(1 + t % 3):
        free = free_cells(board)
        board = place(board, free[hash_at(seed + t * 17, j) % len(free)], X if j % 2 == 0 else O)
    return board


def main():
    seed = seed_of(read_stdin_line())
    acc = analyse(EMPTY_BOARD, X)
    for t in range(POSITIONS):
        board = opening(seed, t)
        acc = (acc * 131 + analyse(board, X if t % 3 == 1 else O)) % P
    print(acc)


main()
