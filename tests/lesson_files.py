"""A teacher's lesson file for the tests of the class features: two rates on the tilted
bowl, a question about the quicker run's first step, a choice of the teacher's and an
explanation for the teacher to read."""
import textwrap

#: The lesson (TOML), written to a file by each test that serves it.
LESSON = textwrap.dedent('''
    title = "Three rates on one bowl"
    text = """
    The same tilted bowl, two learning rates: which one crawls, which one zig-zags?
    """

    [[scene]]
    label = "rate 0.05"
    problem = "quadratic"
    lr = 0.05
    max_iter = 100

    [[scene]]
    label = "rate 0.18"
    problem = "quadratic"
    lr = 0.18
    max_iter = 100

    [[question]]
    scene = 1
    step = 0
    ask = "next_params"

    [[question]]
    scene = 1
    ask = "choice"
    prompt = "What will the 0.18 run do?"
    options = ["crawl", "zig-zag but arrive", "fly off"]
    answer = 2

    [[question]]
    scene = 1
    step = 2
    ask = "explain"
    prompt = "In your words: why does it zig-zag?"
''')
