# strbuild — build 300 strings of 1000..1299 comma-separated numbers by
# concatenation, and sum their lengths.


def build(n):
    s = ""
    for i in range(n):
        s = s + str(i % 97) + ","
    return s


def main():
    acc = 0
    for r in range(300):
        acc += len(build(1000 + r))
    print(acc)


main()
