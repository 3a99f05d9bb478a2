"""Build a River library of N synthetic but realistic papers, fast and deterministically.

    .venv/bin/python tests/benchmarks/make_library.py 100000 /tmp/river-100k.db [--seed 7]
        [--writer fast|store] [--fts rebuild|triggers] [--jobs N] [--verify]

Every paper has an arXiv-style id (``YYMM.NNNNN``, version 1-3), a title of 8-16 words and an
abstract of 150-250 words drawn from ML/AI research phrasing, 1-30 authors, categories, links,
a date within three years; some carry Hugging Face upvotes and an organization. Topics are
weighted so the default beats match a realistic share (credit assignment is rare; agents and
reasoning are common; a few finance and hardware papers trip the beats' exclusions). Some papers
are read, skipped, archived or starred, and some carry user tags. The same ``N`` and ``--seed``
give the same library whatever ``--jobs`` is.

Two write paths; the schema comes from ``Library.open(PATH, load_settings().beats)`` (River's
migrations) either way:

``--writer fast`` (default: 100,000 papers in about 25 s on 2 cores)
    Worker processes generate the papers, classify them with River's own ``classify`` (only
    over the beat terms that can occur in each paper: ``PrefilteredClassifier``) and build
    their rows with the column values ``river_tui.store.rows.paper_columns`` produces; this
    process inserts them with ``executemany`` in one transaction (beat matches with the
    statement of ``river_tui.store.ingest.write_matches``). The full-text index is filled by
    FTS5's ``'rebuild'`` (``--fts rebuild``, the insert trigger set aside for the load and
    re-created from its stored SQL) or by River's trigger paper by paper (``--fts triggers``,
    6x slower).
``--writer store``
    Every paper goes through ``river_tui.store.ingest.upsert_paper`` (the path imports and
    refreshes take), with one shared ``TitleIndex``, in one transaction: about 2 ms a paper,
    almost all in the beat classifier. It builds the same tables as ``fast`` (timestamps
    aside); use it to check that.

``--verify`` then runs ``Library.reclassify()`` and checks it finds the same beat matches.
No ``ANALYZE`` is run (River never runs it).

Either way triage states and user tags are written straight into ``triage`` and ``paper_tags``
(no entries in the undo log: the log does not affect listing speed).
"""

from __future__ import annotations

import argparse
import json
import multiprocessing
import os
import random
import sys
import time
from datetime import date, timedelta
from pathlib import Path

from _common import isolate_env

# -- vocabulary ------------------------------------------------------------------------------------
FIRST = [
    "Wei",
    "Yuki",
    "Aarav",
    "Maria",
    "James",
    "Li",
    "Sofia",
    "Chen",
    "Ahmed",
    "Elena",
    "Hiroshi",
    "Priya",
    "Lucas",
    "Fatima",
    "Noah",
    "Mei",
    "Olga",
    "Diego",
    "Hannah",
    "Ravi",
    "Jun",
    "Amara",
    "Tomás",
    "Ingrid",
    "Kwame",
    "Sara",
    "Mateo",
    "Lin",
    "Ananya",
    "Pierre",
    "Zhang",
    "Emma",
    "Omar",
    "Yusuf",
    "Chloe",
    "Arjun",
    "Nadia",
    "Felix",
    "Haruto",
    "Leila",
    "Sebastian",
    "Xin",
    "Grace",
    "Dmitri",
    "Ayesha",
    "Jonas",
    "Camila",
    "Minh",
    "Rohan",
    "Alice",
    "Kenji",
    "Marta",
    "Ibrahim",
    "Julia",
    "Tao",
    "Zoe",
    "Andrei",
    "Ines",
    "Samuel",
    "Yan",
]
LAST = [
    "Wang",
    "Li",
    "Zhang",
    "Liu",
    "Chen",
    "Yang",
    "Huang",
    "Zhao",
    "Wu",
    "Zhou",
    "Smith",
    "Johnson",
    "Kumar",
    "Singh",
    "Patel",
    "Garcia",
    "Müller",
    "Schmidt",
    "Rossi",
    "Tanaka",
    "Suzuki",
    "Sato",
    "Kim",
    "Park",
    "Lee",
    "Nguyen",
    "Tran",
    "Ivanov",
    "Petrov",
    "Silva",
    "Santos",
    "Novak",
    "Kowalski",
    "Dubois",
    "Martin",
    "Bernard",
    "Cohen",
    "Levi",
    "Okafor",
    "Mensah",
    "Haddad",
    "Rahman",
    "Ali",
    "Khan",
    "Gupta",
    "Sharma",
    "Iyer",
    "Rao",
    "Jensen",
    "Larsen",
    "Andersson",
    "Nielsen",
    "Fischer",
    "Weber",
    "Moreau",
    "Lopez",
    "Hernandez",
    "Gonzalez",
    "Ortiz",
    "Brown",
    "Davis",
    "Miller",
    "Wilson",
    "Taylor",
    "Anderson",
    "Thomas",
    "Moore",
    "Clark",
]
ORGS = (
    "Google DeepMind",
    "Meta AI",
    "Microsoft Research",
    "Alibaba Qwen",
    "DeepSeek",
    "NVIDIA",
    "Tsinghua University",
    "Stanford University",
    "Carnegie Mellon University",
    "Shanghai AI Lab",
    "ByteDance Seed",
    "Hugging Face",
    "Allen Institute for AI",
    "Mila",
    "ETH Zurich",
    "University of Oxford",
)
USER_TAGS = ("to-read", "reading-group", "cite-in-thesis", "baseline", "survey", "replicate")

# Each topic: weight, categories, title phrases, context sentences, method clauses, problems.
# Phrases that name a beat's include terms are what make the beats match.
TOPICS: dict[str, dict[str, object]] = {
    "credit": {
        "weight": 4,
        "cats": ("cs.LG", "cs.AI", "cs.CL"),
        "title": (
            "Step-Level Credit Assignment",
            "Token-Level Credit Assignment for Reinforcement Learning",
            "Credit Assignment in Long-Horizon Agents",
            "Turn-Level Credit for Multi-Turn Reasoning",
            "Dense Credit Signals from Sparse Rewards",
        ),
        "context": (
            "Credit assignment remains a central obstacle when reinforcement learning is applied "
            "to large language models that produce long chains of reasoning.",
            "Sparse outcome rewards give every token the same credit, which makes policy "
            "gradient estimates noisy and slows learning on long-horizon tasks.",
            "Assigning credit to individual steps of an agent trajectory is hard when the only "
            "feedback arrives at the end of an episode.",
        ),
        "method": (
            "assigns credit to each reasoning step with a learned value baseline",
            "derives a token-level credit signal from verifiable rewards without a critic",
            "estimates step-level credit by resampling continuations from intermediate states",
        ),
        "problem": (
            "existing methods spread a single scalar reward uniformly over thousands of tokens",
            "temporal credit assignment degrades as trajectories grow longer",
        ),
    },
    "agents": {
        "weight": 14,
        "cats": ("cs.AI", "cs.CL", "cs.LG", "cs.MA"),
        "title": (
            "LLM Agents for Software Engineering",
            "Agentic Search with Tool Use",
            "Multi-Agent Collaboration for Planning",
            "Web Agents That Learn From Experience",
            "Computer-Use Agents in Realistic Environments",
            "Tool Calling Under Uncertainty",
        ),
        "context": (
            "LLM agents that plan, call tools and act over many turns are increasingly deployed "
            "in software engineering, web navigation and scientific discovery.",
            "Agentic systems built on large language models must decide when to use tools, how "
            "to recover from errors and when to stop.",
            "Multi-agent frameworks let several language agents debate, critique and divide "
            "complex tasks among themselves.",
        ),
        "method": (
            "lets the agent reflect on failed tool calls and revise its plan",
            "trains web agents with reinforcement learning on synthetic environments",
            "coordinates a team of specialised agents through a shared memory",
        ),
        "problem": (
            "agents often loop, hallucinate tool outputs or abandon tasks halfway",
            "tool use is brittle when interfaces change between training and deployment",
        ),
    },
    "reasoning": {
        "weight": 14,
        "cats": ("cs.CL", "cs.LG", "cs.AI"),
        "title": (
            "Reinforcement Learning with Verifiable Rewards",
            "Scaling GRPO to Long Chain-of-Thought Reasoning",
            "Process Reward Models for Mathematical Reasoning",
            "Test-Time Scaling of Reasoning Models",
            "Efficient RLVR for Small Language Models",
        ),
        "context": (
            "Reinforcement learning with verifiable rewards (RLVR) has become the standard "
            "recipe for post-training reasoning models on mathematics and code.",
            "Group relative policy optimization (GRPO) removes the critic but wastes samples "
            "on prompts that are too easy or too hard.",
            "Long chain-of-thought reasoning improves accuracy at the cost of test-time compute.",
        ),
        "method": (
            "filters prompts by estimated difficulty before each GRPO update",
            "trains a process reward model from automatically labelled reasoning steps",
            "allocates test-time compute adaptively across reasoning paths",
        ),
        "problem": (
            "reasoning models overthink simple problems and underthink hard ones",
            "verifiable reward signals are sparse and easy to exploit",
        ),
    },
    "alignment": {
        "weight": 8,
        "cats": ("cs.AI", "cs.CL", "cs.CY", "cs.LG"),
        "title": (
            "Reward Hacking in Reinforcement Learning from Human Feedback",
            "Jailbreak Attacks on Aligned Language Models",
            "Detecting Sycophancy and Deception",
            "Preference Optimization Without a Reward Model",
            "Emergent Misalignment After Fine-Tuning",
        ),
        "context": (
            "RLHF aligns language models with human preferences but invites reward hacking when "
            "the reward model is imperfect.",
            "Jailbreak prompts routinely bypass the safety training of deployed models.",
            "Models fine-tuned on narrow tasks can become broadly misaligned in ways that are "
            "hard to detect.",
        ),
        "method": (
            "regularises preference optimization toward a reference policy",
            "detects reward hacking from the policy's internal activations",
            "red-teams the model with automatically generated jailbreak prompts",
        ),
        "problem": (
            "sycophancy and deception are rewarded by annotators who cannot verify answers",
            "safety training generalises poorly to new attack styles",
        ),
    },
    "interp": {
        "weight": 7,
        "cats": ("cs.LG", "cs.AI", "cs.CL"),
        "title": (
            "Sparse Autoencoders Reveal Interpretable Features",
            "Mechanistic Interpretability of In-Context Learning",
            "Circuit Discovery in Transformer Language Models",
            "Probing Representations for Truthfulness",
            "Attribution Graphs for Multi-Step Reasoning",
        ),
        "context": (
            "Mechanistic interpretability aims to reverse-engineer the circuits that neural "
            "networks learn.",
            "Sparse autoencoders decompose activations into features that humans can inspect.",
            "Probing classifiers and attribution methods reveal where information flow happens "
            "inside a transformer.",
        ),
        "method": (
            "traces information flow across layers with attribution graphs",
            "trains sparse autoencoders on residual stream activations at scale",
            "identifies a minimal circuit responsible for the behaviour",
        ),
        "problem": (
            "interpretability findings on toy models rarely transfer to frontier models",
            "features found by different methods disagree",
        ),
    },
    "evals": {
        "weight": 9,
        "cats": ("cs.CL", "cs.AI", "cs.LG"),
        "title": (
            "A New Benchmark for Scientific Question Answering",
            "Measuring Hallucination in Long-Form Generation",
            "Data Contamination in Public Leaderboards",
            "An Evaluation Framework for Agentic Coding",
            "A Benchmark Suite for Multilingual Reasoning",
        ),
        "context": (
            "Public leaderboards drive progress but suffer from data contamination and saturation.",
            "Hallucination remains a major failure mode of language models in long-form "
            "generation.",
            "We introduce a new benchmark that measures capabilities current evaluations miss.",
        ),
        "method": (
            "builds a contamination-resistant benchmark suite from recent documents",
            "scores hallucination with claim-level verification against sources",
            "provides an evaluation framework with reproducible sandboxes",
        ),
        "problem": (
            "benchmark scores overstate capability because test items leak into training data",
            "existing evaluations saturate within months of release",
        ),
    },
    "vision": {
        "weight": 12,
        "cats": ("cs.CV", "cs.LG", "cs.MM"),
        "title": (
            "Diffusion Models for High-Resolution Image Synthesis",
            "Open-Vocabulary Segmentation",
            "Video Generation with Temporal Consistency",
            "Vision-Language Models for Document Understanding",
            "3D Gaussian Splatting from Sparse Views",
        ),
        "context": (
            "Diffusion models generate images of remarkable quality but remain slow at sampling "
            "time.",
            "Vision-language models connect pretrained image encoders to large language models.",
            "Video generation requires temporal consistency across hundreds of frames.",
        ),
        "method": (
            "distils a multi-step diffusion sampler into a few-step generator",
            "aligns visual tokens with language through a lightweight projector",
            "reconstructs scenes with Gaussian splats regularised by depth priors",
        ),
        "problem": (
            "sampling cost grows with resolution and number of denoising steps",
            "fine-grained spatial reasoning remains weak in current models",
        ),
    },
    "efficiency": {
        "weight": 10,
        "cats": ("cs.LG", "cs.CL", "cs.AR", "cs.DC"),
        "title": (
            "Low-Bit Quantization of Large Language Models",
            "KV Cache Compression for Long Contexts",
            "Speculative Decoding at Scale",
            "Mixture-of-Experts Routing",
            "Structured Pruning Without Retraining",
        ),
        "context": (
            "Serving large language models is dominated by memory bandwidth and the size of the "
            "KV cache.",
            "Quantization and pruning reduce inference cost but often hurt accuracy on hard tasks.",
            "Speculative decoding accelerates generation by verifying drafts in parallel.",
        ),
        "method": (
            "quantizes weights and activations to four bits with learned rotations",
            "evicts KV cache entries by estimated future attention",
            "routes tokens to experts with a load-balanced gating network",
        ),
        "problem": (
            "long contexts make the KV cache larger than the model weights",
            "hardware utilisation drops sharply for small batch sizes",
        ),
    },
    "rl_control": {
        "weight": 7,
        "cats": ("cs.LG", "cs.RO", "cs.AI", "eess.SY"),
        "title": (
            "Offline Reinforcement Learning for Robot Manipulation",
            "Model-Based Reinforcement Learning with World Models",
            "Sim-to-Real Transfer for Legged Locomotion",
            "Exploration in Sparse-Reward Environments",
        ),
        "context": (
            "Reinforcement learning agents in robotics must learn from limited and costly "
            "interaction.",
            "World models let agents plan in imagination before acting in the real world.",
        ),
        "method": (
            "learns a latent world model and plans with it over long horizons",
            "regularises the policy toward the behaviour data in offline reinforcement learning",
        ),
        "problem": (
            "exploration fails when rewards are sparse and episodes are long",
            "policies trained in simulation break on real hardware",
        ),
    },
    "graphs_science": {
        "weight": 7,
        "cats": ("cs.LG", "q-bio.QM", "physics.comp-ph", "stat.ML"),
        "title": (
            "Graph Neural Networks for Molecular Property Prediction",
            "Foundation Models for Weather Forecasting",
            "Protein Structure Generation with Flow Matching",
            "Neural Operators for Partial Differential Equations",
        ),
        "context": (
            "Machine learning is transforming scientific discovery in chemistry, biology and "
            "climate science.",
            "Graph neural networks capture molecular structure but struggle with long-range "
            "interactions.",
        ),
        "method": (
            "learns an equivariant representation of molecules with message passing",
            "generates protein backbones with flow matching on SE(3)",
        ),
        "problem": (
            "labelled scientific data is scarce and expensive to obtain",
            "models fail to extrapolate beyond the training distribution",
        ),
    },
    "speech_rec": {
        "weight": 5,
        "cats": ("cs.SD", "eess.AS", "cs.IR", "cs.CL"),
        "title": (
            "Streaming Speech Recognition with Transducers",
            "Generative Recommendation with Semantic IDs",
            "Retrieval-Augmented Generation for Question Answering",
        ),
        "context": (
            "Retrieval-augmented generation grounds language models in external documents.",
            "Speech recognition systems must run in real time on device.",
        ),
        "method": (
            "retrieves passages with a dense retriever trained on synthetic queries",
            "tokenises items into semantic identifiers for generative recommendation",
        ),
        "problem": (
            "retrieval errors propagate into confident but wrong answers",
            "latency constraints rule out large models",
        ),
    },
    "finance_hw": {
        "weight": 3,
        "cats": ("q-fin.RM", "cs.LG", "cs.AR", "eess.SP"),
        "title": (
            "Machine Learning for Credit Risk Assessment",
            "Credit Scoring with Gradient Boosting",
            "Learning to Route a Printed Circuit Board",
        ),
        "context": (
            "Credit risk models decide which loan applications a lender approves.",
            "Printed circuit board design still relies on manual routing by experts.",
        ),
        "method": (
            "predicts borrower default from transaction histories",
            "routes circuit board traces with a graph-based policy",
        ),
        "problem": (
            "credit scoring models must remain fair and explainable",
            "design rules make the search space combinatorial",
        ),
    },
}

GENERIC_OPENERS = (
    "Large language models have achieved strong results across a wide range of tasks.",
    "Deep learning has made rapid progress, yet many practical problems remain open.",
    "Recent work has shown that scaling data and compute is not sufficient on its own.",
    "Foundation models are increasingly deployed in settings their designers did not foresee.",
)
METHOD_NAMES = [
    "ATLAS",
    "PRISM",
    "HALO",
    "ORBIT",
    "NOVA",
    "CAPO",
    "TRACE",
    "SPARK",
    "FLARE",
    "DELTA",
    "ECHO",
    "VERA",
    "LUMEN",
    "AEGIS",
    "HELIX",
    "QUILL",
    "RAVEN",
    "SAGE",
    "TIDE",
    "ZEPHYR",
    "KITE",
    "MOSAIC",
    "PIVOT",
    "ANCHOR",
]
METHOD_NOUNS = ("framework", "method", "training recipe", "algorithm", "approach", "system")
ADJECTIVES = ("simple", "scalable", "general", "lightweight", "principled", "efficient")
BENCHMARKS = (
    "MATH",
    "GSM8K",
    "AIME",
    "HumanEval",
    "SWE-bench",
    "MMLU",
    "GPQA",
    "WebArena",
    "ImageNet",
    "COCO",
    "LongBench",
    "BigCodeBench",
    "ALFWorld",
    "OSWorld",
)
RESULTS = (
    "improves accuracy by {n} points over strong baselines",
    "outperforms prior methods by {n}% while using fewer samples",
    "matches the performance of models ten times larger",
    "reduces training cost by {n}% without loss in quality",
    "achieves state-of-the-art results on {b1} and {b2}",
)
GENERIC_SENTENCES = (
    "We evaluate on {b1}, {b2} and {b3} and report results across several model sizes.",
    "Ablation studies show that each component contributes to the final performance.",
    "Our analysis reveals that the gains are largest on the hardest examples.",
    "Theoretical analysis shows that the estimator is unbiased under mild assumptions.",
    "The approach is compatible with existing training pipelines and adds little overhead.",
    "We release code, data and model checkpoints to support future research.",
    "Experiments with reinforcement learning agents confirm the trend at larger scales.",
    "Results on a standard benchmark indicate that the method generalises to unseen tasks.",
    "Human evaluation corroborates the automatic metrics.",
    "We also discuss limitations and directions for future work.",
    "Scaling experiments suggest that the improvements persist as model size grows.",
    "Qualitative examples illustrate typical failure modes of previous approaches.",
    "Compared with supervised fine-tuning, the method is more sample efficient.",
)
TITLE_FILLERS = (
    "Towards",
    "Rethinking",
    "Learning",
    "Understanding",
    "Scaling",
    "Improving",
    "Revisiting",
    "On",
)
TITLE_TAILS = (
    "at Scale",
    "with Large Language Models",
    "via Self-Supervision",
    "for Efficient Training",
    "in the Wild",
    "Beyond Human Supervision",
    "Without Human Labels",
    "from First Principles",
)

START = date(2023, 7, 1)
DAYS = 3 * 365


def _topic_table() -> tuple[list[str], list[int]]:
    names = list(TOPICS)
    return names, [int(TOPICS[n]["weight"]) for n in names]  # type: ignore[call-overload]


def _words(text: str) -> int:
    return text.count(" ") + 1


def make_title(rng: random.Random, topic: dict[str, object], name: str) -> str:
    phrase = rng.choice(topic["title"])  # type: ignore[arg-type]
    parts = [phrase]
    if rng.random() < 0.45:
        parts.insert(0, name + ":")
    elif rng.random() < 0.5:
        parts.insert(0, rng.choice(TITLE_FILLERS))
    target = rng.randint(8, 16)
    tails = list(TITLE_TAILS)
    rng.shuffle(tails)
    while _words(" ".join(parts)) < target and tails:
        parts.append(tails.pop())
    words = " ".join(parts).split()
    return " ".join(words[:target])


def make_abstract(
    rng: random.Random, topic: dict[str, object], second: dict[str, object] | None, name: str
) -> str:
    bench = rng.sample(BENCHMARKS, 3)
    sentences = [
        rng.choice(topic["context"] if rng.random() < 0.8 else GENERIC_OPENERS),  # type: ignore[arg-type]
        "However, " + rng.choice(topic["problem"]) + ".",  # type: ignore[arg-type]
        f"We propose {name}, a {rng.choice(ADJECTIVES)} {rng.choice(METHOD_NOUNS)} that "
        + rng.choice(topic["method"])  # type: ignore[arg-type]
        + ".",
    ]
    if second is not None:
        sentences.append(rng.choice(second["context"]))  # type: ignore[arg-type]
    sentences.append(
        f"On {bench[0]} and {bench[1]}, {name} "
        + rng.choice(RESULTS).format(n=rng.randint(2, 30), b1=bench[0], b2=bench[1])
        + "."
    )
    target = rng.randint(150, 250)
    pool = list(GENERIC_SENTENCES)
    rng.shuffle(pool)
    extra = [rng.choice(topic["context"]), rng.choice(topic["method"]).capitalize() + "."]  # type: ignore[arg-type]
    pool[2:2] = extra
    if rng.random() < 0.06:
        pool.append("We further study the interpretability of the learned representations.")
    words = sum(_words(s) for s in sentences)
    while words < target and pool:
        sentence = pool.pop().format(b1=bench[0], b2=bench[1], b3=bench[2])
        sentences.insert(len(sentences) - 1 if rng.random() < 0.3 else len(sentences), sentence)
        words += _words(sentence)
    text = " ".join(sentences).split()
    if len(text) > target:
        text = text[:target]
        text[-1] = text[-1].rstrip(".,;") + "."
    return " ".join(text)


def _authors(rng: random.Random) -> list[str]:
    roll = rng.random()
    count = (
        rng.randint(1, 3)
        if roll < 0.25
        else rng.randint(4, 8)
        if roll < 0.85
        else rng.randint(9, 30)
    )
    return [f"{rng.choice(FIRST)} {rng.choice(LAST)}" for _ in range(count)]


CHUNK = 2000
"""Papers generated per task: each chunk has its own seeded generator, so the library is the
same whatever the number of worker processes."""


def generate_chunk(seed: int, chunk: int, start: int, count: int) -> list[dict]:
    """Papers ``start`` .. ``start + count - 1`` (no arXiv id yet: see :func:`assign_ids`)."""
    rng = random.Random(f"river-bench:{seed}:{chunk}")
    names, weights = _topic_table()
    items = []
    for i in range(start, start + count):
        published = START + timedelta(days=rng.randrange(DAYS))
        version = rng.choices((1, 2, 3), (70, 20, 10))[0]
        updated = published + timedelta(days=rng.randint(3, 120)) if version > 1 else None
        topic = TOPICS[rng.choices(names, weights)[0]]
        second = TOPICS[rng.choices(names, weights)[0]] if rng.random() < 0.3 else None
        method = rng.choice(METHOD_NAMES) + ("" if rng.random() < 0.6 else str(rng.randint(1, 9)))
        title = make_title(rng, topic, method)
        abstract = make_abstract(rng, topic, second, method)
        authors = _authors(rng)
        cats = list(topic["cats"])  # type: ignore[call-overload]
        primary = cats[0] if rng.random() < 0.6 else rng.choice(cats)
        categories = [primary, *rng.sample([c for c in cats if c != primary], rng.randint(0, 2))]
        hf = rng.random() < 0.15
        upvotes = int(rng.paretovariate(1.3)) if hf else None
        organization = rng.choice(ORGS) if hf and rng.random() < 0.6 else None
        extra: dict[str, object] = {}
        if hf:
            extra["hf_listing_date"] = (published + timedelta(days=1)).isoformat()
        roll = rng.random()
        state = "new"
        if roll < 0.22:
            state = "read"
        elif roll < 0.25:
            state = "skipped"
        elif roll < 0.30:
            state = "archived"
        starred = rng.random() < 0.03
        tags = rng.sample(USER_TAGS, rng.randint(1, 2)) if rng.random() < 0.02 else []
        items.append(
            {
                "i": i,
                "version": version,
                "title": title,
                "abstract": abstract,
                "authors": authors,
                "published": published,
                "updated": updated,
                "categories": categories,
                "primary": primary,
                "hf": hf,
                "upvotes": upvotes,
                "organization": organization,
                "extra": extra,
                "state": state,
                "starred": starred,
                "tags": tags,
            }
        )
    return items


class IdAssigner:
    """arXiv-style ids ``YYMM.NNNNN``: increasing within each month, in paper order."""

    def __init__(self, seed: int, n: int) -> None:
        self.rng = random.Random(f"river-bench-ids:{seed}")
        self.step = max(1, min(8, 90000 * 36 // max(n, 1)))
        self.per_month: dict[str, int] = {}

    def next(self, yymm: str) -> str:
        number = self.per_month.get(yymm, self.rng.randint(1, 400)) + self.rng.randint(1, self.step)
        self.per_month[yymm] = number
        return f"{yymm}.{number:05d}" if number < 100000 else f"{yymm}.{number}"

    def __call__(self, item: dict) -> None:
        item["arxiv_id"] = self.next(item["published"].strftime("%y%m"))
        item["links"] = _links(item["arxiv_id"], item["hf"])


def generate(n: int, seed: int = 7):
    """Every paper, in order, one process (see :func:`build_fast` for the parallel version)."""
    ids = IdAssigner(seed, n)
    for chunk, start in enumerate(range(0, n, CHUNK)):
        for item in generate_chunk(seed, chunk, start, min(CHUNK, n - start)):
            ids(item)
            yield item


# -- beat matches ----------------------------------------------------------------------------------
def _norm(text: str) -> str:
    return " ".join(text.casefold().replace("-", " ").split())


class PrefilteredClassifier:
    """River's own ``classify``, run only with the beat terms that can occur in the paper.

    A term can match (``river_tui.domain.beats._pattern``: its words, case-insensitive, joined by
    spaces or hyphens) only if the term, case-folded with hyphens as spaces, is a substring of
    the text normalized the same way. Terms that fail that test cannot produce a hit, so leaving
    them out changes no verdict, score or hit; a beat none of whose include terms can occur
    yields no match at all. This skips about 95% of the regular-expression scans that make
    ``Library.reclassify()`` take minutes at 100,000 papers; ``--verify`` checks the result
    against ``Library.reclassify()`` itself."""

    def __init__(self, beats: list) -> None:
        self.terms = [
            (beat, [(t, _norm(t)) for t in beat.include], [(t, _norm(t)) for t in beat.exclude])
            for beat in beats
        ]
        self._narrowed: dict[tuple, object] = {}

    def __call__(self, title: str, abstract: str) -> list:
        from river_tui.domain import Beat, classify

        text = _norm(title) + "\n" + _norm(abstract)
        beats = []
        for beat, include, exclude in self.terms:
            found = tuple(term for term, key in include if key in text)
            if not found:
                continue
            excluded = tuple(term for term, key in exclude if key in text)
            key = (beat.name, found, excluded)
            narrowed = self._narrowed.get(key)
            if narrowed is None:
                narrowed = Beat(beat.name, include=found, exclude=excluded)
                self._narrowed[key] = narrowed
            beats.append(narrowed)
        return classify(beats, title, abstract)


_CLASSIFIER: PrefilteredClassifier | None = None


def _init_worker(beats: list) -> None:
    global _CLASSIFIER
    _CLASSIFIER = PrefilteredClassifier(beats)


def _work(task: tuple[int, int, int, int, str]) -> list[tuple]:
    """Generate one chunk, classify it and build its rows (in a worker process).

    Everything but the arXiv id (given out in order by the parent, see :class:`IdAssigner`)."""
    from river_tui.domain import normalize_title
    from river_tui.store.rows import hits_json

    assert _CLASSIFIER is not None
    *chunk, stamp = task
    prepared = []
    for item in generate_chunk(*chunk):
        pk = item["i"] + 1
        matches = [
            (pk, m.beat, str(m.verdict), m.score, hits_json(m.hits), hits_json(m.excluded_by))
            for m in _CLASSIFIER(item["title"], item["abstract"])
        ]
        columns = (
            item["version"],
            item["title"],
            normalize_title(item["title"]),
            item["abstract"],
            json.dumps(item["authors"], ensure_ascii=False),
            len(item["authors"]),
            item["published"].isoformat(),
            item["updated"].isoformat() if item["updated"] else None,
            json.dumps(item["categories"]),
            item["primary"],
            item["upvotes"],
            item["organization"],
            json.dumps(item["extra"], ensure_ascii=False, sort_keys=True),
            stamp,
            stamp,
        )
        discovery = (pk, _source(item), "bench", stamp, _signal(item))
        triage: list = []
        tags: list = []
        _user_state(item, pk, stamp, triage, tags)
        prepared.append(
            (
                pk,
                item["published"].strftime("%y%m"),
                item["hf"],
                columns,
                discovery,
                matches,
                triage,
                tags,
            )
        )
    return prepared


# -- writing ---------------------------------------------------------------------------------------
def _user_state(item: dict, pk: int, stamp: str, triage: list, tags: list) -> None:
    if item["state"] != "new" or item["starred"]:
        triage.append((pk, item["state"], int(item["starred"]), stamp))
    tags.extend((pk, tag, stamp) for tag in item["tags"])


def _write_user_state(conn, triage: list, tags: list) -> None:
    conn.executemany(
        "INSERT INTO triage(paper_pk, state, starred, updated_at) VALUES (?, ?, ?, ?)", triage
    )
    conn.executemany("INSERT INTO paper_tags(paper_pk, tag, created_at) VALUES (?, ?, ?)", tags)


def _signal(item: dict) -> str:
    return json.dumps({"upvotes": item["upvotes"]} if item["upvotes"] is not None else {})


def _source(item: dict) -> str:
    return "hf-api" if item["hf"] else "arxiv-api"


def _links(arxiv_id: str, hf: bool) -> list[dict[str, str]]:
    links = [
        {"label": "abs", "url": f"https://arxiv.org/abs/{arxiv_id}"},
        {"label": "pdf", "url": f"https://arxiv.org/pdf/{arxiv_id}"},
    ]
    if hf:
        links.append({"label": "hf", "url": f"https://huggingface.co/papers/{arxiv_id}"})
    return links


def _insert_chunk(conn, prepared: list[tuple], ids: IdAssigner) -> None:
    rows, discoveries, matches, triage, tags = [], [], [], [], []
    for pk, yymm, hf, columns, discovery, paper_matches, paper_triage, paper_tags in prepared:
        arxiv_id = ids.next(yymm)
        rows.append((pk, arxiv_id, arxiv_id, *columns, json.dumps(_links(arxiv_id, hf))))
        discoveries.append(discovery)
        matches.extend(paper_matches)
        triage.extend(paper_triage)
        tags.extend(paper_tags)
    conn.executemany(
        "INSERT INTO papers (pk, id, arxiv_id, version, title, title_key, abstract, authors, "
        "author_count, published, updated, categories, primary_category, upvotes, "
        "organization, extra, first_seen, last_seen, links, kind, url) "
        "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 'paper', NULL)",
        rows,
    )
    conn.executemany(
        "INSERT INTO discoveries(paper_pk, source, origin, seen_at, signal) VALUES (?, ?, ?, ?, ?)",
        discoveries,
    )
    # The statement of river_tui.store.ingest.write_matches, for many papers at once.
    conn.executemany(
        "INSERT INTO beat_matches(paper_pk, beat, verdict, score, hits, excluded_by) "
        "VALUES (?, ?, ?, ?, ?, ?)",
        matches,
    )
    _write_user_state(conn, triage, tags)


FTS_TRIGGER = "papers_fts_ai"
"""River's trigger that indexes each inserted paper (``river_tui.store.migrations``, step 1)."""


def build_fast(library, n: int, seed: int, stamp: str, jobs: int, fts: str = "rebuild") -> None:
    """Generate, classify and build rows in ``jobs`` processes; insert here, in one
    transaction, as the chunks arrive (in order).

    ``fts="triggers"``: River's insert trigger indexes every paper as it lands (slow: about
    280 µs a paper). ``fts="rebuild"``: the trigger is set aside for the load and FTS5's own
    ``'rebuild'`` command indexes the same columns of every paper in one pass (6x faster); the
    trigger is then re-created from its stored SQL, all inside the same transaction."""
    tasks = [
        (seed, chunk, start, min(CHUNK, n - start), stamp)
        for chunk, start in enumerate(range(0, n, CHUNK))
    ]
    ids = IdAssigner(seed, n)
    conn = library.conn
    # A bulk load touches every index page: a big page cache for this connection only.
    conn.execute("PRAGMA cache_size = -400000")
    with library.transaction():
        trigger = conn.execute(
            "SELECT sql FROM sqlite_master WHERE type = 'trigger' AND name = ?", (FTS_TRIGGER,)
        ).fetchone()[0]
        if fts == "rebuild":
            conn.execute(f"DROP TRIGGER {FTS_TRIGGER}")
        if jobs > 1:
            context = multiprocessing.get_context("fork")
            with context.Pool(jobs, initializer=_init_worker, initargs=(library.beats,)) as pool:
                for prepared in pool.imap(_work, tasks):
                    _insert_chunk(conn, prepared, ids)
        else:
            _init_worker(library.beats)
            for task in tasks:
                _insert_chunk(conn, _work(task), ids)
        if fts == "rebuild":
            conn.execute("INSERT INTO papers_fts(papers_fts) VALUES ('rebuild')")
            conn.execute(trigger)


def build_store(library, n: int, seed: int, stamp: str) -> None:
    """Every paper through ``river_tui.store.ingest.upsert_paper`` (one shared TitleIndex)."""
    from datetime import UTC, datetime

    from river_tui.domain import ArxivId, Discovery, Link, Paper
    from river_tui.store import ingest

    conn = library.conn
    triage, tags = [], []
    seen = datetime.fromisoformat(stamp).astimezone(UTC)
    with library.transaction():
        titles = library.title_index()
        for item in generate(n, seed):
            paper = Paper(
                title=item["title"],
                abstract=item["abstract"],
                arxiv=ArxivId(item["arxiv_id"], item["version"]),
                authors=tuple(item["authors"]),
                published=item["published"],
                updated=item["updated"],
                categories=tuple(item["categories"]),
                primary_category=item["primary"],
                links=tuple(Link(x["label"], x["url"]) for x in item["links"]),
                upvotes=item["upvotes"],
                organization=item["organization"],
                extra=item["extra"],
            )
            signal = json.loads(_signal(item))
            write = ingest.upsert_paper(
                conn, paper, Discovery(_source(item), seen, "bench", signal), library.beats, titles
            )
            _user_state(item, write.pk, stamp, triage, tags)
        _write_user_state(conn, triage, tags)


def _matches(library) -> list[tuple]:
    return [
        tuple(r)
        for r in library.conn.execute(
            "SELECT paper_pk, beat, verdict, score, hits, excluded_by FROM beat_matches "
            "ORDER BY paper_pk, beat"
        )
    ]


def build(
    n: int,
    path: Path,
    seed: int = 7,
    how: str = "fast",
    jobs: int = 0,
    verify: bool = False,
    fts: str = "rebuild",
) -> dict[str, object]:
    isolate_env()
    from river_tui.settings import load_settings
    from river_tui.store.library import Library

    if path.exists():
        raise SystemExit(f"{path} exists: remove it first (the builder never overwrites)")
    jobs = jobs or os.cpu_count() or 1
    started = time.perf_counter()
    stamp = "2026-07-01T00:00:00+00:00"
    report: dict[str, object] = {"papers": n, "path": str(path), "writer": how, "seed": seed}
    with Library.open(path, load_settings().beats) as library:
        if how == "store":
            build_store(library, n, seed, stamp)
        else:
            build_fast(library, n, seed, stamp, jobs, fts)
            report["jobs"] = jobs
            report["fts"] = fts
        report["seconds"] = round(time.perf_counter() - started, 2)
        # What River learns from the library's decisions, as a reader who has used it has it:
        # the reader's first update then has nothing to do, and does not run beside the
        # figures measured on this library.
        from river_tui.learning.train import update

        clock = time.perf_counter()
        update(library)
        report["learn_seconds"] = round(time.perf_counter() - clock, 2)
        library.conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        if verify:
            before = _matches(library)
            clock = time.perf_counter()
            library.reclassify()
            report["reclassify_seconds"] = round(time.perf_counter() - clock, 2)
            same = before == _matches(library)
            report["verified_against_reclassify"] = same
            if not same:
                raise SystemExit("beat matches differ from Library.reclassify()'s")
        report["counts"] = library.counts()
        report["beat_matches"] = dict(
            library.conn.execute(
                "SELECT beat || ' (' || verdict || ')', COUNT(*) FROM beat_matches "
                "GROUP BY beat, verdict"
            ).fetchall()
        )
    report["bytes"] = path.stat().st_size
    return report


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("n", type=int, help="how many papers")
    parser.add_argument("path", type=Path, help="the library file to create")
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--writer", dest="how", choices=("fast", "store"), default="fast")
    parser.add_argument("--jobs", type=int, default=0, help="worker processes (default: all CPUs)")
    parser.add_argument(
        "--verify",
        action="store_true",
        help="then run Library.reclassify() and check it finds the same beat matches (slow)",
    )
    parser.add_argument(
        "--fts",
        choices=("rebuild", "triggers"),
        default="rebuild",
        help="fill the full-text index in one pass (default) or paper by paper (slow)",
    )
    args = parser.parse_args(argv)
    report = build(args.n, args.path, args.seed, args.how, args.jobs, args.verify, args.fts)
    print(json.dumps(report, indent=2, ensure_ascii=False))
    return 0


if __name__ == "__main__":
    sys.exit(main())
