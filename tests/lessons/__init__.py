"""Lesson timetabling: CB-CTT, post-enrolment and the registrar's semester."""
