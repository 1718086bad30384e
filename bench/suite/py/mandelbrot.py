# mandelbrot — escape-time iteration counts over a 300x300 grid (float loop).
# The recursion of the other versions is a loop here: CPython has no tail calls
# and the same operations run in the same order.
SIZE = 300
LIMIT = 50


def escape(cr, ci):
    zr = 0.0
    zi = 0.0
    k = 0
    while True:
        zr2 = zr * zr
        zi2 = zi * zi
        if k == LIMIT or zr2 + zi2 > 4.0:
            return k
        zr, zi = zr2 - zi2 + cr, 2.0 * zr * zi + ci
        k += 1


def main():
    acc = 0
    for y in range(SIZE):
        ci = -1.5 + 3.0 * y / SIZE
        for x in range(SIZE):
            acc += escape(-2.0 + 3.0 * x / SIZE, ci)
    print(acc)


main()
