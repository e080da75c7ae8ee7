"""A teacher's lesson file for the tests of the class features: two rates on the tilted
bowl, one question about the quicker run's first step."""
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
''')
