"""The programme's rules and facts as data and pure functions: unit systems and reform dates, the NTM
ladder and revocation, poverty flows, criteria sets, settings and metrics. No database, no text."""
