"""Word lists for the benchmark corpus, most frequent first (sampled with Zipf weights).

Why hand-made lists: the corpus must look like a real mixed Chinese/English journal (so the
index has a realistic size and token distribution) while *never* producing the marker words by
accident; :mod:`corpus` checks that no list contains a marker character or prefix, so the
planted counts are exact.
"""

from __future__ import annotations


def _words(text: str) -> list[str]:
    return text.split()


ZH_WORDS = _words("""
的 是 我 了 在 不 有 这 一个 人 他 们 就 也 要 会 可以 问题 什么 我们 自己 没有 因为 如果
还是 现在 今天 觉得 知道 时候 怎么 为什么 能够 已经 需要 真的 所以 但是 然后 一些 这个 那个
模型 能力 学习 思考 好奇 野心 计划 项目 工作 研究 数据 训练 推理 语言 代码 产品 用户 团队
公司 时间 世界 未来 方法 经验 判断 品味 创造 问题意识 答案 理解 解释 发现 实验 论文 算法
系统 工具 助手 智能 机器 人类 技能 职业 选择 方向 目标 想法 原因 结果 效果 规律 本质 边界
水位 泳池 地面 脚踝 脖子 跳跃 台阶 楼层 灯神 愿望 创始人 打工 定义 主动 等待 任务 执行 提问
读书 写作 跑步 散步 睡觉 早上 晚上 周末 城市 朋友 家人 孩子 父母 老师 学生 课程 考试 记忆
注意力 专注 习惯 情绪 焦虑 平静 勇气 耐心 坚持 放弃 失败 成功 改变 成长 变化 速度 规模 成本
价值 意义 故事 历史 科学 数学 物理 生物 医学 音乐 影片 旅行 咖啡 雨天 阳光 山顶 海边 森林
深度 广度 直觉 逻辑 证明 猜想 假设 反例 模式 结构 网络 信息 知识 智慧 好问题 坏问题 大胆
疯狂 谨慎 简单 复杂 清楚 模糊 重要 有趣 奇怪 困难 容易 缓慢 突然 逐渐 每天 每周 明年 去年
""")

EN_WORDS = _words("""
the a to of and is in it that for what how why can i we this with be not on do you model
question ai will does would learning data human people work plan time new about more think
could when if should way better system training language code team product build idea
problem answer scaling reasoning agent tool research paper experiment benchmark taste
context judgment curiosity ambition founder worker wish genie stairs water level rising
pool ankle neck jump skill future world hard easy simple complex small large fast slow
write read run sleep morning evening weekend city friend family child teacher student
memory attention habit focus patience courage failure success change growth speed cost
value meaning story history science math physics biology music film travel coffee rain
depth intuition logic proof conjecture hypothesis counterexample pattern structure network
knowledge wisdom bold crazy careful clear vague important interesting strange sudden
gradual daily weekly grokking emergence alignment compute tokens gradient attention loss
""")

ZH_PUNCT = "，。；？！"
EN_PUNCT = ".?!"

#: Tags with a skewed frequency, most common first (``#tag`` written inline at the end).
TAGS = _words("""
ai 思考 learning 读书 career 产品 research 写作 health 家庭 coding 数学 travel 音乐
startup 心理学 teaching 历史 design 哲学 writing 跑步 physics 投资
""")

TITLES_ZH = (
    "为什么{a}会{b}",
    "如何用{a}理解{b}",
    "{a}和{b}之间有什么关系",
    "我想做一个关于{a}的{b}",
    "{a}的{b}在哪里",
    "今天关于{a}的一点{b}",
)
TITLES_EN = (
    "Why does {a} {b}",
    "How could {a} change {b}",
    "What is the {a} of {b}",
    "A plan to {a} the {b}",
    "Notes on {a} and {b}",
)

OUTCOMES = (
    "答案：{a}其实取决于{b}。",
    "Turned out {a} depends on {b}.",
    "做完了，{a}比预想的更{b}。",
    "Dropped: {a} was not worth the {b}.",
)
