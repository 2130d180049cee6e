"""Published values the exam benchmarks are compared with (from the datasets' SOURCE.md files)."""

from __future__ import annotations

# ITC 2007 exam track, soft cost. Best of Müller's ITC 2007 table (his submitted best of 100 runs).
ITC2007_PUBLISHED_BEST = {
    "exam_comp_set1": 4356,
    "exam_comp_set2": 390,
    "exam_comp_set3": 9568,
    "exam_comp_set4": 16591,
    "exam_comp_set5": 2941,
    "exam_comp_set6": 25775,
    "exam_comp_set7": 4088,
    "exam_comp_set8": 7565,
}

# Later literature, for context: the average cost of Bykov & Petrovic (2013), the strongest
# column of SOURCE.md table B (averages over runs, not best values).
ITC2007_LATER_AVERAGE = {
    "exam_comp_set1": 4008,
    "exam_comp_set2": 404,
    "exam_comp_set3": 8012,
    "exam_comp_set4": 13312,
    "exam_comp_set5": 2582,
    "exam_comp_set6": 25448,
    "exam_comp_set7": 3893,
    "exam_comp_set8": 6944,
}

# UniTime's examination solver run on a 2-core machine (the better of its competition code and
# current library per set), as given in the exam issue; keyed by time limit in seconds.
ITC2007_UNITIME = {
    60: {
        "exam_comp_set1": 4604,
        "exam_comp_set2": 430,
        "exam_comp_set3": 10429,
        "exam_comp_set4": 22183,
        "exam_comp_set5": 3420,
        "exam_comp_set6": 26455,
        "exam_comp_set7": 4290,
        "exam_comp_set8": 7809,
    },
    300: {
        "exam_comp_set1": 4313,
        "exam_comp_set2": 395,
        "exam_comp_set3": 9629,
        "exam_comp_set4": 19044,
    },
}

# Toronto, average proximity cost per student: the minimum over N. Leite's compilation of later
# methods (SOURCE.md table B); Carter 1996's pur93 and rye92 values predate data fixes, so the
# minimum without them is used for those two.
TORONTO_PUBLISHED_BEST = {
    "car-s-91": 4.37,
    "car-f-92": 3.69,
    "ear-f-83": 32.48,
    "hec-s-92": 10.03,
    "kfu-s-93": 12.81,
    "lse-f-91": 9.78,
    "pur-s-93": 4.10,
    "rye-s-93": 7.89,
    "sta-f-83": 156.9,
    "tre-s-92": 7.67,
    "uta-s-92": 3.01,
    "ute-s-92": 24.77,
    "yor-f-83": 34.44,
}
