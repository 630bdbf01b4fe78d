"""What synthetic playbooks are made of: word lists, text templates and the risk framework.

Data only; :mod:`playbook.synth` makes the random choices.
"""

from __future__ import annotations

from typing import Any

from playbook.data.model.items import ControlKind

TIER_IDS = ["minimal", "limited", "elevated", "high"]

SUBJECTS = [
    "support tickets", "insurance claims", "supplier invoices", "sales contracts", "meeting notes",
    "product manuals", "HR policies", "customer e-mails", "source code", "call transcripts",
    "marketing copy", "financial reports", "maintenance logs", "job applications", "legal briefs",
    "research papers", "chat conversations", "purchase orders", "medical referrals", "warehouse images",
    "loan applications", "field service reports", "audit findings", "board minutes", "tender documents",
]
TECHNIQUES = [
    ("Retrieval-augmented search", "Applications", ["RAG", "document Q&A"]),
    ("Summarisation service", "Applications", ["summariser", "digest generator"]),
    ("Document extraction", "Data", ["IDP", "form reader"]),
    ("Classification pipeline", "Data", ["auto-tagging", "triage model"]),
    ("Conversational assistant", "Applications", ["chatbot", "copilot"]),
    ("Tool-using agent", "Agents", ["AI agent", "autonomous workflow"]),
    ("Batch scoring", "Data", ["offline inference", "bulk scoring"]),
    ("Translation service", "Applications", ["machine translation", "MT"]),
    ("Evaluation harness", "Evaluation", ["eval suite", "model testing"]),
    ("Prompt library", "Platforms", ["prompt catalogue", "prompt registry"]),
    ("Fine-tuned model", "Models", ["custom model", "adapter training"]),
    ("Embedding index", "Platforms", ["vector store", "semantic index"]),
    ("Redaction filter", "Security", ["PII scrubber", "masking service"]),
    ("Human review queue", "Operations", ["HITL queue", "review console"]),
    ("Code assistant", "Applications", ["coding copilot", "code completion"]),
    ("Forecasting model", "Models", ["demand forecast", "time-series model"]),
    ("Anomaly detection", "Models", ["outlier detection", "fraud signals"]),
    ("Speech transcription", "Applications", ["speech-to-text", "ASR"]),
    ("Image inspection", "Models", ["visual inspection", "computer vision check"]),
    ("Content moderation", "Security", ["safety filter", "guardrail classifier"]),
    ("LLM gateway", "Platforms", ["AI proxy", "model router"]),
    ("Synthetic data generator", "Data", ["test data synthesis", "data augmentation"]),
]
QUALIFIERS = [
    "Streaming", "Batch", "On-premises", "Multilingual", "Low-latency", "Regional", "Self-hosted",
    "Shared", "Offline", "Event-driven",
]
UNITS = [
    "claims", "finance", "customer service", "marketing", "legal", "HR", "procurement", "engineering",
    "sales", "operations", "risk", "research", "logistics", "compliance",
]
OWNERS = [
    "Platform team", "Data platform team", "Search team", "ML engineering", "Security engineering",
    "Enterprise architecture", "Customer AI team", "Analytics team", "Automation guild", "Knowledge management",
]
POLICY_OWNERS = [
    "Privacy office", "Security office", "Legal", "AI governance board", "Data office", "Procurement",
    "Risk management", "Internal audit",
]
PLATFORMS = [
    "Azure OpenAI", "AWS Bedrock", "Google Vertex AI", "Databricks", "Snowflake", "Kubernetes",
    "PostgreSQL with pgvector", "Elasticsearch", "Apache Kafka", "Airflow", "MLflow", "Hugging Face TGI",
    "vLLM", "Azure AI Search", "Amazon SageMaker", "Redis", "OpenSearch", "Power Automate",
]
TAGS = [
    "llm", "nlp", "vision", "speech", "search", "agents", "batch", "realtime", "pii", "cost",
    "evaluation", "open-source", "vendor", "internal", "customer-facing", "documents", "analytics",
]
BENEFITS = [
    "cut handling time", "answer customers faster", "find precedents in seconds", "reduce manual data entry",
    "spot errors before they reach customers", "keep a single audit trail", "stay within budget",
    "reuse what other teams have built", "ship a first version in weeks rather than months",
    "keep personal data inside the company", "compare models on the same test set",
]
FEATURES = [
    "logging", "redaction of personal data", "cost limits", "access control", "evaluation reports",
    "human sign-off", "audit trails", "rate limits", "prompt versioning", "source citations",
]
COMPONENTS = [
    "the gateway", "a vector index", "the model provider", "a message queue", "the review console",
    "an evaluation job", "the policy engine", "a feature store", "the data catalogue", "the secrets vault",
]
ACTIONS = [
    "checks the caller's entitlements", "strips personal data from the prompt", "records the request and response",
    "applies the team's spending limit", "retrieves the most relevant passages",
    "scores the output against a reference set", "routes low-confidence cases to a person",
    "caches frequent answers", "tags the output with its sources", "rejects inputs over the size limit",
    "picks the cheapest model that meets the quality bar", "writes a trace to the monitoring system",
]
VERBS = [
    "summarise", "classify", "search", "extract fields from", "translate", "route", "draft replies to",
    "check", "score", "tag",
]
CONTROL_TEXTS: dict[ControlKind, list[str]] = {
    ControlKind.data_access: [
        "Only {subject} the caller may read are retrieved.",
        "Data stays in the {region} region and is never used to train the provider's models.",
        "Access is granted per team through the data catalogue and reviewed every {days} days.",
    ],
    ControlKind.security: [
        "Keys are held in the secrets vault and rotated every {days} days.",
        "Inputs are screened for prompt injection before they reach the model.",
        "Traffic leaves the network only through {component}.",
    ],
    ControlKind.monitoring: [
        "Every prompt and response is logged for {days} days.",
        "Latency, error rate and cost per request are charted on the team's dashboard.",
        "Drift in the input mix raises an alert to the owning team.",
    ],
    ControlKind.human_oversight: [
        "A person approves every output sent to customers.",
        "Cases the model is unsure of go to the review console.",
        "A named reviewer signs off each new prompt version.",
    ],
    ControlKind.cost: [
        "Spending is capped at {amount} USD per team per month.",
        "Each request is charged to the calling team's cost centre.",
        "Large jobs run off-peak on reserved capacity.",
    ],
    ControlKind.quality: [
        "Outputs are scored weekly against a reference set of {count} cases.",
        "A release is blocked when accuracy falls more than {percent} points.",
        "Users can flag a wrong answer, and flags are reviewed every week.",
    ],
}
REGIONS = ["EU", "UK", "US", "APAC", "Swiss"]
CAPABILITIES = [
    "invoice-extraction", "contract-clause-search", "email-thread-summaries", "call-transcript-summaries",
    "document-field-extraction", "ticket-classification", "meeting-notes", "translation-memory", "receipt-ocr",
    "sentiment-scoring", "entity-matching", "address-cleansing", "product-tagging", "forecast-narratives",
    "policy-question-answering", "log-anomaly-detection", "code-review-hints", "test-data-generation",
    "image-redaction", "form-filling", "duplicate-detection", "knowledge-base-search", "prompt-library",
    "chat-handover", "spreadsheet-reconciliation", "survey-coding", "voice-transcription", "pdf-table-reading",
    "supplier-name-matching", "risk-flagging",
]
"""Parts teams build outside the patterns: a few dozen, so that several teams build the same one."""
BUILT_NOTES = [
    "No pattern covers it yet, so the team wrote its own step.",
    "Built on the team's own scripts around the gateway.",
    "A small service the team runs itself.",
    "Prompt and parsing code kept in the team's repository.",
]
WHEN_TO_USE = [
    "You need to {verb} {subject} at volume.",
    "The {unit} team wants answers grounded in its own documents.",
    "Results must be explainable to an auditor.",
    "Several teams need the same capability and should share one build.",
    "The work is repetitive and a person checks the result anyway.",
    "Latency of a few seconds is acceptable.",
    "You want to {benefit} without building your own platform.",
]
WHEN_NOT_TO_USE = [
    "Decisions that affect people's rights without a human in the loop.",
    "Data that may not leave the {region} region and no regional deployment exists.",
    "One-off analyses that a spreadsheet handles well.",
    "Real-time control systems that need answers in milliseconds.",
    "The {unit} team cannot name an owner for the outputs.",
    "Use cases covered by a deprecated predecessor; migrate them instead.",
    "Tasks where a deterministic rule already works.",
]
POLICY_ACTIONS = [
    "Log every prompt and response", "Redact personal data", "Review model outputs", "Keep an inventory of models",
    "Evaluate accuracy", "Cap monthly spending", "Record the data sources", "Label AI-generated content",
    "Restrict access to training data", "Limit prompt retention", "Run a bias assessment", "Name an accountable owner",
    "Test for prompt injection", "Keep a human in the loop", "Encrypt embeddings at rest", "Document the intended use",
    "Approve new vendors", "Monitor drift", "Register every use case", "Publish a model card",
    "Check licences of training data", "Plan for model retirement", "Report incidents within a day",
    "Sample decisions for audit", "Disclose AI use to customers", "Pin model versions", "Watermark generated images",
    "Separate test and production data", "Review prompts for leakage", "Set an accuracy floor",
]
POLICY_SCOPES = ["for {subject}", "for {subject} in {unit}", "in {unit}", "before {milestone}"]
MILESTONES = [
    "production release", "a pilot starts", "customers see the output", "a vendor contract is signed",
    "a model is retrained", "data leaves the company",
]
DECISION_POOL = [
    ("approve-pattern", "Approve a pattern", "central", None),
    ("retire-pattern", "Retire a pattern", "central", None),
    ("approve-platform", "Approve a platform or vendor", "central", None),
    ("set-risk-thresholds", "Set the risk thresholds", "central", None),
    ("grant-policy-exception", "Grant an exception to a policy", "central", None),
    ("approve-use-case", "Approve an AI use case", "distributed", "elevated"),
    ("fund-use-case", "Fund an AI use case", "distributed", "elevated"),
    ("choose-model", "Choose a model for a use case", "distributed", "high"),
    ("release-to-production", "Release a solution to production", "distributed", "high"),
    ("pause-system", "Pause a misbehaving system", "central", None),
    ("run-audit", "Run an audit sample", "central", None),
    ("hire-ai-staff", "Hire AI engineers into a business unit", "distributed", "high"),
]
ROLES = [
    ("ai-lead", "Head of AI", "Leads the central AI team and chairs the governance council."),
    ("ai-council", "AI governance council", "Senior leaders from technology, risk, legal and the business units."),
    ("platform-team", "Platform team", "Builds and runs the shared AI platform and patterns."),
    ("security-office", "Security office", "Owns security standards and reviews threats."),
    ("privacy-office", "Privacy office", "Owns the handling of personal data."),
    ("legal", "Legal", "Advises on contracts, liability and regulation."),
    ("unit-lead", "Business unit lead", "Runs a business unit and its AI budget."),
    ("product-owner", "Product owner", "Owns one AI solution from idea to retirement."),
    ("internal-audit", "Internal audit", "Samples decisions and reports to the board."),
]
STEPS = [
    ("foundations", "Foundations", "Agree who decides what, and publish the first patterns and policies.", [
        "Name an owner for every decision", "Publish the decision-rights table", "Publish the first three patterns",
        "Set up the LLM gateway", "Write the risk questions", "Agree the audit sampling rates",
        "Stand up the governance council", "Inventory the AI already in use",
    ]),
    ("standards", "Standards", "Turn the first decisions into reusable patterns and policies.", [
        "Publish the policy catalogue", "Review every pattern with security", "Add worked examples to the risk tiers",
        "Train reviewers on the fast track", "Publish the exception process", "Set review dates for every item",
        "Measure time to decision", "Collect feedback from the first teams",
    ]),
    ("pilot", "Pilot", "One business unit decides for itself, within the standards.", [
        "Pick the pilot business unit", "Agree the pilot's escalation tier", "Train the unit's reviewers",
        "Run the first self-service assessments", "Report pilot metrics monthly", "Hold a mid-pilot review",
        "Record every escalation", "Compare decisions with central review",
    ]),
    ("scale", "Scale", "Roll distributed ownership out to more business units.", [
        "Onboard two more business units", "Automate the assessment", "Publish adoption metrics",
        "Retire deprecated patterns", "Audit a sample of unit decisions", "Refresh the risk thresholds",
        "Add patterns requested by units", "Share lessons across units",
    ]),
    ("distributed-ownership", "Distributed ownership",
     "Business units own their AI decisions; the centre sets standards.", [
        "Hand budget authority to the units", "Move the council to quarterly", "Publish the yearly audit report",
        "Review every policy against regulation", "Agree the centre's service levels", "Rotate reviewers across units",
        "Close the transition programme", "Plan the next review of decision rights",
    ]),
]
EXIT_CRITERIA = [
    "Every decision has exactly one accountable role.", "At least {count} teams use the published patterns.",
    "Median time to decision is under {days} days.", "No open audit findings of high severity.",
    "The council has signed off the step review.", "Every pattern has an owner and a review date.",
    "Escalations are fewer than {percent} per cent of decisions.",
]
SPONSORS = ["Chief Operating Officer", "Chief Financial Officer", "Chief Customer Officer", "Chief Risk Officer",
            "Chief Technology Officer", "Head of Sales"]
DURATIONS = ["One quarter", "Six to eight weeks", "Two quarters", "Three months", "Four to six weeks"]


def risk_framework(small: int, large: int) -> dict[str, Any]:
    """The tiers, questions and rules of every synthetic playbook; only the two budget thresholds vary."""
    tiers = [
        {"id": "minimal", "name": "Minimal", "description": "Internal tools on public or internal data.",
         "review": "none", "audit_sampling": 0.02, "turnaround": "Same day", "turnaround_days": 0},
        {"id": "limited", "name": "Limited", "description": "Personal data, partner-facing use or a modest budget.",
         "review": "self-service", "audit_sampling": 0.05, "turnaround": "Two working days", "turnaround_days": 2},
        {"id": "elevated", "name": "Elevated", "description": "Customer-facing use, agents or a large budget.",
         "review": "central", "fast_track": "fast-track", "audit_sampling": 0.2,
         "turnaround": "Five working days", "turnaround_days": 5},
        {"id": "high", "name": "High",
         "description": "Special categories of data or automated decisions about people.",
         "review": "central", "audit_sampling": 1, "turnaround": "Three weeks", "turnaround_days": 15},
    ]
    questions = [
        {"id": "personal-data", "text": "Does the solution process personal data?",
         "help": "Names, e-mail addresses, customer numbers and anything else that points to a person.",
         "type": "yes_no"},
        {"id": "external-model", "text": "Does data go to a model hosted outside the company?",
         "help": "A vendor API counts; a model running in our own cloud account does not.", "type": "yes_no"},
        {"id": "budget", "text": "What is the yearly budget?",
         "help": "Licences, compute and people, in US dollars.", "type": "amount", "currency": "USD"},
        {"id": "audience", "text": "Who sees the output?",
         "help": "The people who read or act on what the solution produces.", "type": "choice",
         "options": [{"id": "staff", "label": "Our staff"}, {"id": "partners", "label": "Partners"},
                     {"id": "customers", "label": "Customers"}, {"id": "public", "label": "The public"}]},
        {"id": "data-kinds", "text": "Which special kinds of data does it touch?",
         "help": "Pick every kind that applies, or none.", "type": "multi_choice",
         "options": [{"id": "health", "label": "Health records"},
                     {"id": "financial", "label": "Financial records"},
                     {"id": "biometric", "label": "Biometric data"},
                     {"id": "children", "label": "Children's data"}]},
        {"id": "automation", "text": "How much does the solution decide on its own?",
         "help": "From advice a person reads to actions taken without a person.", "type": "choice",
         "options": [{"id": "advice", "label": "It advises a person"},
                     {"id": "approved", "label": "A person approves each action"},
                     {"id": "acts", "label": "It acts on other systems"},
                     {"id": "decides", "label": "It decides about people"}]},
    ]
    rules = [
        {"id": "personal-data", "description": "Personal data is processed.",
         "when": [{"question": "personal-data", "equals": True}], "tier": "limited"},
        {"id": "modest-budget", "description": f"The budget is at least {small:,} USD.",
         "when": [{"question": "budget", "at_least": small}], "tier": "limited"},
        {"id": "partner-facing", "description": "Partners see the output.",
         "when": [{"question": "audience", "in": ["partners"]}], "tier": "limited"},
        {"id": "large-budget", "description": f"The budget is at least {large:,} USD.",
         "when": [{"question": "budget", "at_least": large}], "tier": "elevated"},
        {"id": "customer-facing", "description": "Customers or the public see the output.",
         "when": [{"question": "audience", "in": ["customers", "public"]}], "tier": "elevated"},
        {"id": "personal-data-leaves", "description": "Personal data goes to a model hosted outside the company.",
         "when": [{"question": "personal-data", "equals": True}, {"question": "external-model", "equals": True}],
         "tier": "elevated"},
        {"id": "agent-actions", "description": "The solution acts on other systems.",
         "when": [{"question": "automation", "in": ["acts"]}], "tier": "elevated"},
        {"id": "special-data", "description": "Health, financial or biometric data is touched.",
         "when": [{"question": "data-kinds", "any_of": ["health", "financial", "biometric"]}], "tier": "high"},
        {"id": "childrens-data", "description": "Children's data is touched.",
         "when": [{"question": "data-kinds", "any_of": ["children"]}], "tier": "high"},
        {"id": "decides-about-people", "description": "The solution decides about people without a person.",
         "when": [{"question": "automation", "in": ["decides"]}], "tier": "high"},
    ]
    return {"tiers": tiers, "questions": questions, "rules": rules}
