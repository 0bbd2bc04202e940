"""Events: the programme's trainings, consultations and meetings, and their participants."""
