"""A patient's course after clearance: the plan, session notes with stop rules,
suspension, questionnaires and outcome series."""
