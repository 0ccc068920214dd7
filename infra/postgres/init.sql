-- One database per service: each owns its data and its migrations (DESIGN.md §3).
CREATE DATABASE hope_enrolment;
CREATE DATABASE hope_training;
CREATE DATABASE hope_support;
CREATE DATABASE hope_funding;
CREATE DATABASE hope_employment;
CREATE DATABASE hope_reporting;
CREATE DATABASE hope_gateway;
