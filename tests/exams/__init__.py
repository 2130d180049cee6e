"""Exam timetabling: the rules, the model, the searches and the ITC 2007 reference costs."""
