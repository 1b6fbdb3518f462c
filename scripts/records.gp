# The records chart (claim C5): median time per pass and the counters that
# explain it, per method, for the four (cache, readahead) series.
# usage: gnuplot -c records.gp DATADIR FORMAT OUTFILE SUBTITLE
# (scripts/plot-records runs it on the files of scripts/records-data.py).
# Every argument arrives as a string variable (ARGn) and is only ever used
# as a file name or a label: no part of a path or of a run becomes code.
datadir = ARG1
fmt = ARG2
outfile = ARG3
subtitle = ARG4
if (fmt eq 'svg') {
    set terminal svg size 1500,900 dynamic font 'Sans,12' background rgb 'white'
} else {
    set terminal pngcairo size 1500,900 font 'Sans,10' background rgb 'white'
}
set output outfile
methods = datadir.'/methods.dat'
stats [*:*][*:*] methods using 1 nooutput
nmethods = STATS_records
set xrange [-0.6:nmethods - 0.4]

set style fill solid 0.85 border -1
set boxwidth 0.19
set grid ytics lc rgb '#dddddd'
unset key
set logscale y
set format y '10^{%L}'
set xtics nomirror rotate by -20 font ',10'
colors = "#1f4e79 #6fa8dc #b45f06 #f6b26b"
label(k) = k == 0 ? 'cold, readahead default' : k == 1 ? 'cold, readahead off' : k == 2 ? 'warm, readahead default' : 'warm, readahead off'
# One legend for all panels, across the top (a per-panel key would be
# wrapped to the width of one panel).
do for [k=0:3] {
    x0 = 0.18 + k * 0.18
    set object 100+k rect from screen x0, screen 0.895 to screen x0 + 0.015, screen 0.915 fc rgb word(colors, k+1) fs solid border -1
    set label 100+k label(k) at screen x0 + 0.02, screen 0.905 left font ',10'
}

# A zero count has no bar on a log axis: it is printed as "0" at the bottom.
# A case that is absent or failed is NaN in the data: no bar, no label.
zero_y = 0.6
bar(v) = (v > 0 ? v : NaN)
zlabel(v) = (v == 0 ? '0' : '')
zpos(v) = (v == 0 ? zero_y : NaN)

set multiplot layout 2,3 margins 0.05,0.98,0.07,0.85 spacing 0.06,0.12 title "mmbench records: what each method costs (medians per pass)\n{/*0.8 ".subtitle."}"

do for [m in "wall_ns os_calls storage_ops device_reads major_faults minor_faults"] {
    if (m eq 'wall_ns')      { set title 'time per pass (µs, open + all records + close)' }
    if (m eq 'os_calls')     { set title 'read-type system calls (os\_calls)' }
    if (m eq 'storage_ops')  { set title 'block input, 512-byte units (storage\_ops)' }
    if (m eq 'device_reads') { set title 'read requests the disk served (device\_reads)' }
    if (m eq 'major_faults') { set title 'major page faults (waited for I/O)' }
    if (m eq 'minor_faults') { set title 'minor page faults' }
    f = datadir.'/'.m.'_median.dat'
    scale = (m eq 'wall_ns') ? 1000.0 : 1.0
    stats [*:*][*:*] datadir.'/'.m.'_median_ylim.dat' using 1 nooutput
    set yrange [STATS_min:STATS_max]
    plot methods using 1:(NaN):xtic(2), \
         for [k=0:3] f index k using 1:(bar($2/scale)) with boxes lc rgb word(colors, k+1), \
         for [k=0:3] f index k using 1:(zpos($2)):(zlabel($2)) with labels font ',8' tc rgb word(colors, k+1)
}
unset multiplot
