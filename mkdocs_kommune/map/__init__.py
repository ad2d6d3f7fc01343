"""``kommune_map()``: an inline SVG coverage map drawn at build time.

``geometry`` turns the packaged boundaries into compact SVG paths, ``view`` frames the national
and county views (cached), ``shades`` picks colours, tooltips and the legend, ``svg`` draws.
Imported on a site's first map only: pages without one pay nothing for it.
"""
