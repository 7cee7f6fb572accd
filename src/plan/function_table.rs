//! The scalar function table: one row per function, the only place a function is listed.
//!
//! A row reads
//!
//! ```text
//! Variant = "kql_name" ("argument kinds") -> result, implementation, "docs-page", "one-line doc";
//! ```
//!
//! - **argument kinds**: a comma-separated list, one entry per argument: `any`, `string`, `num`,
//!   `bool`, `datetime`, `timespan`, `dynamic`, `array`, `bag`, `keys`, `series`; a trailing `?`
//!   makes the argument optional, a trailing `*` lets it repeat (zero or more times, last only).
//!   The arity comes from this list. A `dynamic` argument is accepted in every position (its
//!   type is only known per row). See [`super::functions::Signature`].
//! - **result**: a [`DataType`](crate::types::DataType) variant (`String`, `Long`, ...) when it
//!   is fixed, or `{rule}`, a function in `plan::functions::rules` that checks what the list
//!   cannot say and computes the type from the argument types.
//! - **implementation**: a path resolved in `exec::fns` (the executor's scope), a
//!   `fn(&Call) -> FResult`. The plan layer never reads this column; see `exec::fns`.
//! - **docs page**: the page under <https://learn.microsoft.com/kusto/query/>.
//!
//! The table is a callback macro: `function_table!(m)` expands to `m! { rows }`. The plan's
//! macro (`plan::functions`) builds `Func` and its facts from the first columns; the
//! executor's (`exec::fns`) builds the dispatch from the implementation column. Vectorised
//! fast paths (`exec::scalar::fast_path`) are optional extras on top of a row.

macro_rules! function_table {
    ($callback:ident) => {
        $callback! {
            // time
            Ago = "ago" ("timespan") -> DateTime, general, "ago-function", "The session clock minus a timespan: ago(7d)";
            Now = "now" ("timespan?") -> DateTime, general, "now-function", "The session clock, optionally plus an offset";
            Bin = "bin" ("any, any") -> {bin_type}, general, "bin-function", "Rounds down to a multiple of a bin size: bin(Timestamp, 1h)";
            BinAt = "bin_at" ("any, any, any") -> {bin_type}, general, "bin-at-function", "Rounds down to bins aligned on a fixed point";
            Floor = "floor" ("any, any") -> {bin_type}, general, "bin-function", "Same as bin()";
            DatetimeDiff = "datetime_diff" ("string, datetime, datetime") -> Long, time_fns::row, "datetime-diff-function", "The number of calendar periods between two datetimes";
            DatetimeAdd = "datetime_add" ("string, num, datetime") -> DateTime, time_fns::row, "datetime-add-function", "Adds a number of calendar periods to a datetime";
            DatetimePart = "datetime_part" ("string, datetime") -> Int, time_fns::row, "datetime-part-function", "One part (year, hour, ...) of a datetime";
            StartOfDay = "startofday" ("datetime, num?") -> DateTime, time_fns::row, "startofday-function", "Midnight of the datetime's day";
            StartOfWeek = "startofweek" ("datetime, num?") -> DateTime, time_fns::row, "startofweek-function", "The Sunday that starts the datetime's week";
            StartOfMonth = "startofmonth" ("datetime, num?") -> DateTime, time_fns::row, "startofmonth-function", "The first day of the datetime's month";
            StartOfYear = "startofyear" ("datetime, num?") -> DateTime, time_fns::row, "startofyear-function", "The first day of the datetime's year";
            EndOfDay = "endofday" ("datetime, num?") -> DateTime, time_fns::row, "endofday-function", "The last tick of the datetime's day";
            EndOfWeek = "endofweek" ("datetime, num?") -> DateTime, time_fns::row, "endofweek-function", "The last tick of the datetime's week";
            EndOfMonth = "endofmonth" ("datetime, num?") -> DateTime, time_fns::row, "endofmonth-function", "The last tick of the datetime's month";
            EndOfYear = "endofyear" ("datetime, num?") -> DateTime, time_fns::row, "endofyear-function", "The last tick of the datetime's year";
            DayOfWeek = "dayofweek" ("datetime") -> TimeSpan, time_fns::row, "day-of-week-function", "Days since the preceding Sunday, as a timespan";
            DayOfMonth = "dayofmonth" ("datetime") -> Int, time_fns::row, "day-of-month-function", "The day of the month (1-31)";
            DayOfYear = "dayofyear" ("datetime") -> Int, time_fns::row, "day-of-year-function", "The day of the year (1-366)";
            HourOfDay = "hourofday" ("datetime") -> Int, time_fns::row, "hour-of-day-function", "The hour (0-23)";
            GetYear = "getyear" ("datetime") -> Int, time_fns::row, "getyear-function", "The year";
            GetMonth = "getmonth" ("datetime") -> Int, time_fns::row, "monthofyear-function", "The month (1-12)";
            MonthOfYear = "monthofyear" ("datetime") -> Int, time_fns::row, "monthofyear-function", "The month (1-12)";
            WeekOfYear = "week_of_year" ("datetime") -> Int, time_fns::row, "week-of-year-function", "The ISO 8601 week number";
            FormatDatetime = "format_datetime" ("datetime, string") -> String, time_fns::row, "format-datetime-function", "Formats a datetime: format_datetime(Timestamp, 'yyyy-MM-dd HH:mm')";
            FormatTimespan = "format_timespan" ("timespan, string") -> String, time_fns::row, "format-timespan-function", "Formats a timespan: format_timespan(d, 'hh:mm:ss')";
            UnixtimeSecondsToDatetime = "unixtime_seconds_todatetime" ("num") -> DateTime, time_fns::row, "unixtime-seconds-todatetime-function", "Seconds since 1970 as a datetime";
            UnixtimeMillisecondsToDatetime = "unixtime_milliseconds_todatetime" ("num") -> DateTime, time_fns::row, "unixtime-milliseconds-todatetime-function", "Milliseconds since 1970 as a datetime";
            MakeDatetime = "make_datetime" ("num, num, num, num?, num?, num?") -> DateTime, time_fns::make_datetime, "make-datetime-function", "A datetime from its parts: make_datetime(2026, 12, 7[, hour, minute[, second]])";
            MakeTimespan = "make_timespan" ("num, num, num?, num?") -> TimeSpan, time_fns::make_timespan, "make-timespan-function", "A timespan from (hour, minute[, second]) or (day, hour, minute, second)";
            // conversion
            ToString = "tostring" ("any") -> String, general, "tostring-function", "Converts to a string";
            ToInt = "toint" ("any") -> Int, general, "toint-function", "Converts to int (null if it cannot)";
            ToLong = "tolong" ("any") -> Long, general, "tolong-function", "Converts to long (null if it cannot)";
            ToDouble = "todouble" ("any") -> Real, general, "toreal-function", "Converts to real (null if it cannot)";
            ToReal = "toreal" ("any") -> Real, general, "toreal-function", "Converts to real (null if it cannot)";
            ToBool = "tobool" ("any") -> Bool, general, "tobool-function", "Converts to bool (null if it cannot)";
            ToBoolean = "toboolean" ("any") -> Bool, general, "tobool-function", "Converts to bool (null if it cannot)";
            ToDatetime = "todatetime" ("any") -> DateTime, general, "todatetime-function", "Converts to datetime (null if it cannot)";
            ToTimespan = "totimespan" ("any") -> TimeSpan, general, "totimespan-function", "Converts to timespan (null if it cannot)";
            ToGuid = "toguid" ("any") -> Guid, general, "toguid-function", "Converts to guid (null if it cannot)";
            ToDynamic = "todynamic" ("any") -> Dynamic, general, "parse-json-function", "Parses a JSON string into a dynamic value";
            ParseJson = "parse_json" ("any") -> Dynamic, general, "parse-json-function", "Parses a JSON string into a dynamic value";
            GetType = "gettype" ("any") -> String, general, "gettype-function", "The type name of a value";
            // strings
            ToLower = "tolower" ("string") -> String, general, "tolower-function", "Lower-cases a string";
            ToUpper = "toupper" ("string") -> String, general, "toupper-function", "Upper-cases a string";
            Strlen = "strlen" ("string") -> Long, general, "strlen-function", "The number of characters in a string";
            Substring = "substring" ("any, num, num?") -> String, text::row, "substring-function", "Part of a string: substring(s, start[, length]) (0-based)";
            Strcat = "strcat" ("any, any*") -> String, general, "strcat-function", "Joins values into one string";
            StrcatDelim = "strcat_delim" ("any, any, any*") -> String, general, "strcat-delim-function", "Joins values with a delimiter";
            Split = "split" ("string, string, num?") -> Dynamic, text::row, "split-function", "Splits a string into an array";
            Extract = "extract" ("string, num, any, any?") -> String, text::row, "extract-function", "A regex capture group: extract(@\"user=(\\w+)\", 1, s)";
            ExtractAll = "extract_all" ("string, any, any?") -> Dynamic, text::row, "extract-all-function", "All regex matches as an array";
            ReplaceString = "replace_string" ("string, string, string") -> String, text::row, "replace-string-function", "Replaces every occurrence of a string";
            ReplaceRegex = "replace_regex" ("string, string, string") -> String, text::row, "replace-regex-function", "Replaces every regex match";
            Replace = "replace" ("string, string, string") -> String, text::row, "replace-regex-function", "Replaces every regex match: replace(regex, rewrite, s)";
            Trim = "trim" ("string, string") -> String, text::row, "trim-function", "Removes a regex match from both ends";
            TrimStart = "trim_start" ("string, string") -> String, text::row, "trim-start-function", "Removes a regex match from the start";
            TrimEnd = "trim_end" ("string, string") -> String, text::row, "trim-end-function", "Removes a regex match from the end";
            IndexOf = "indexof" ("any, any, num?, num?, num?") -> Long, text::row, "indexof-function", "The 0-based position of a substring, or -1";
            CountOf = "countof" ("string, string, string?") -> Long, text::row, "countof-function", "How many times a substring (or regex) occurs";
            Reverse = "reverse" ("any") -> String, general, "reverse-function", "Reverses a string";
            Strrep = "strrep" ("any, num, string?") -> String, text::row, "strrep-function", "Repeats a string";
            Strcmp = "strcmp" ("string, string") -> Int, text::row, "strcmp-function", "Compares two strings: -1, 0 or 1";
            UrlDecode = "url_decode" ("string") -> String, text::row, "url-decode-function", "Decodes %xx escapes";
            UrlEncode = "url_encode" ("string") -> String, text::row, "url-encode-function", "Encodes a string for a URL";
            UrlEncodeComponent = "url_encode_component" ("string") -> String, text::row, "url-encode-component-function", "Encodes a string for a URL component";
            Base64DecodeToString = "base64_decode_tostring" ("string") -> String, text::row, "base64-decode-tostring-function", "Decodes base64 into a UTF-8 string";
            Base64EncodeToString = "base64_encode_tostring" ("string") -> String, text::row, "base64-encode-tostring-function", "Encodes a string as base64";
            ParseUrl = "parse_url" ("string") -> Dynamic, text::row, "parse-url-function", "Splits a URL into scheme, host, port, path, query and fragment";
            ParsePath = "parse_path" ("string") -> Dynamic, text::row, "parse-path-function", "Splits a file path into its parts";
            ReplaceStrings = "replace_strings" ("string, array, array") -> String, strings::replace_strings, "replace-strings-function", "Replaces several strings in one pass: replace_strings(s, dynamic(['a', 'b']), dynamic(['x', 'y']))";
            StringSize = "string_size" ("string") -> Long, strings::string_size, "string-size-function", "The size of a string in UTF-8 bytes";
            FormatBytes = "format_bytes" ("num, num?, string?") -> String, strings::format_bytes, "format-bytes-function", "A byte count as text with a unit: format_bytes(20010332, 2) is 19.08 MB";
            UnicodeCodepointsFromString = "unicode_codepoints_from_string" ("string") -> Dynamic, strings::unicode_codepoints_from_string, "unicode-codepoints-from-string-function", "The Unicode code points of a string, as an array";
            UnicodeCodepointsToString = "unicode_codepoints_to_string" ("any, any*") -> String, strings::unicode_codepoints_to_string, "unicode-codepoints-to-string-function", "A string from Unicode code points (numbers or arrays of numbers)";
            ToHex = "tohex" ("num, num?") -> String, strings::tohex, "tohex-function", "An int or long as hexadecimal text (two's complement), padded to a minimum length";
            ParseCommandLine = "parse_command_line" ("string, string") -> Dynamic, strings::parse_command_line, "parse-command-line-function", "Splits a Windows command line into its arguments: parse_command_line(cmd, 'windows')";
            Hash = "hash" ("any, num?") -> Long, hash::hash_xxhash64, "hash-function", "The 64-bit xxHash of a value, optionally modulo a number";
            HashXxhash64 = "hash_xxhash64" ("any, num?") -> Long, hash::hash_xxhash64, "hash-xxhash64-function", "The 64-bit xxHash of a value, optionally modulo a number";
            HashSha256 = "hash_sha256" ("any") -> String, hash::hash_sha256, "hash-sha256-function", "The SHA-256 hash of a value, as hex";
            HashSha1 = "hash_sha1" ("any") -> String, hash::hash_sha1, "hash-sha1-function", "The SHA-1 hash of a value, as hex";
            HashMd5 = "hash_md5" ("any") -> String, hash::hash_md5, "hash-md5-function", "The MD5 hash of a value, as hex";
            // ip
            ParseIpv4 = "parse_ipv4" ("string") -> Long, text::row, "parse-ipv4-function", "An IPv4 address as a long";
            ParseIpv6 = "parse_ipv6" ("string") -> String, ip::parse_ipv6, "parse-ipv6-function", "An IPv6 (or IPv4) address in canonical IPv6 form";
            Ipv4IsPrivate = "ipv4_is_private" ("string") -> Bool, text::row, "ipv4-is-private-function", "Is the IPv4 address in a private range?";
            Ipv4IsInRange = "ipv4_is_in_range" ("string, string") -> Bool, text::row, "ipv4-is-in-range-function", "Is the IPv4 address in the CIDR range?";
            Ipv4IsInAnyRange = "ipv4_is_in_any_range" ("string, any, any*") -> Bool, text::row, "ipv4-is-in-any-range-function", "Is the IPv4 address in any of the ranges?";
            Ipv4Compare = "ipv4_compare" ("string, string, num?") -> Int, text::row, "ipv4-compare-function", "Compares two IPv4 addresses";
            GeoInfoFromIpAddress = "geo_info_from_ip_address" ("string") -> Dynamic, ip::geo_info, "geo-info-from-ip-address-function", "Country, state, city, latitude and longitude of an IP address (kqlab's synthetic table)";
            // geo (session 5)
            GeoPointToGeohash = "geo_point_to_geohash" ("num, num, num?") -> String, geo::point_to_geohash, "geo-point-to-geohash-function", "The geohash of a point: geo_point_to_geohash(lon, lat[, accuracy 1-18, default 5])";
            GeoGeohashToCentralPoint = "geo_geohash_to_central_point" ("string") -> Dynamic, geo::geohash_to_central_point, "geo-geohash-to-central-point-function", "The centre of a geohash cell, as a GeoJSON point";
            GeoGeohashToPolygon = "geo_geohash_to_polygon" ("string") -> Dynamic, geo::geohash_to_polygon, "geo-geohash-to-polygon-function", "The rectangle of a geohash cell, as a GeoJSON polygon";
            GeoGeohashNeighbors = "geo_geohash_neighbors" ("string") -> Dynamic, geo::geohash_neighbors, "geo-geohash-neighbors-function", "The eight geohash cells around a geohash cell";
            GeoDistance2Points = "geo_distance_2points" ("num, num, num, num, bool?") -> Real, geo::distance_2points, "geo-distance-2points-function", "The distance in meters between two points on the sphere: geo_distance_2points(lon1, lat1, lon2, lat2)";
            GeoPointInCircle = "geo_point_in_circle" ("num, num, num, num, num") -> Bool, geo::point_in_circle, "geo-point-in-circle-function", "Is a point within a radius (meters) of a centre? geo_point_in_circle(lon, lat, clon, clat, radius)";
            GeoPointToH3cell = "geo_point_to_h3cell" ("num, num, num?") -> String, geo_h3::point_to_h3cell, "geo-point-to-h3cell-function", "The H3 cell of a point: geo_point_to_h3cell(lon, lat[, resolution 0-15, default 6])";
            GeoH3cellToCentralPoint = "geo_h3cell_to_central_point" ("string") -> Dynamic, geo_h3::h3cell_to_central_point, "geo-h3cell-to-central-point-function", "The centre of an H3 cell, as a GeoJSON point";
            GeoH3cellToPolygon = "geo_h3cell_to_polygon" ("string") -> Dynamic, geo_h3::h3cell_to_polygon, "geo-h3cell-to-polygon-function", "The hexagon (or pentagon) of an H3 cell, as a GeoJSON polygon";
            GeoH3cellLevel = "geo_h3cell_level" ("string") -> Int, geo_h3::h3cell_level, "geo-h3cell-level-function", "The resolution of an H3 cell (0-15)";
            GeoH3cellParent = "geo_h3cell_parent" ("string, num?") -> String, geo_h3::h3cell_parent, "geo-h3cell-parent-function", "The H3 cell containing this one at a coarser resolution (default: one level up)";
            GeoH3cellChildren = "geo_h3cell_children" ("string, num?") -> Dynamic, geo_h3::h3cell_children, "geo-h3cell-children-function", "The H3 cells inside this one at a finer resolution (default: one level down, at most 5 down)";
            GeoH3cellNeighbors = "geo_h3cell_neighbors" ("string") -> Dynamic, geo_h3::h3cell_neighbors, "geo-h3cell-neighbors-function", "The H3 cells around an H3 cell";
            GeoH3cellRings = "geo_h3cell_rings" ("string, num") -> Dynamic, geo_h3::h3cell_rings, "geo-h3cell-rings-function", "Rings of H3 cells around a cell, ring 0 being the cell: geo_h3cell_rings(cell, distance 0-142)";
            GeoPointToS2cell = "geo_point_to_s2cell" ("num, num, num?") -> String, geo_s2::point_to_s2cell, "geo-point-to-s2cell-function", "The S2 cell token of a point: geo_point_to_s2cell(lon, lat[, level 0-30, default 11])";
            GeoS2cellToCentralPoint = "geo_s2cell_to_central_point" ("string") -> Dynamic, geo_s2::s2cell_to_central_point, "geo-s2cell-to-central-point-function", "The centre of an S2 cell, as a GeoJSON point";
            GeoS2cellToPolygon = "geo_s2cell_to_polygon" ("string") -> Dynamic, geo_s2::s2cell_to_polygon, "geo-s2cell-to-polygon-function", "The four corners of an S2 cell, as a GeoJSON polygon";
            GeoS2cellNeighbors = "geo_s2cell_neighbors" ("string") -> Dynamic, geo_s2::s2cell_neighbors, "geo-s2cell-neighbors-function", "The eight S2 cells of the same level around an S2 cell";
            GeoPointInPolygon = "geo_point_in_polygon" ("num, num, dynamic") -> Bool, geo_shape::point_in_polygon, "geo-point-in-polygon-function", "Is a point inside a GeoJSON polygon or multipolygon (edges are great-circle arcs)?";
            GeoPolygonArea = "geo_polygon_area" ("dynamic") -> Real, geo_shape::polygon_area, "geo-polygon-area-function", "The area of a GeoJSON polygon or multipolygon, in square meters, on the sphere";
            GeoPolygonPerimeter = "geo_polygon_perimeter" ("dynamic") -> Real, geo_shape::polygon_perimeter, "geo-polygon-perimeter-function", "The perimeter of a GeoJSON polygon or multipolygon, in meters";
            GeoPolygonCentroid = "geo_polygon_centroid" ("dynamic") -> Dynamic, geo_shape::polygon_centroid, "geo-polygon-centroid-function", "The centroid of a GeoJSON polygon or multipolygon, as a GeoJSON point";
            GeoLineLength = "geo_line_length" ("dynamic") -> Real, geo_shape::line_length, "geo-line-length-function", "The length of a GeoJSON line or multiline, in meters";
            GeoLineCentroid = "geo_line_centroid" ("dynamic") -> Dynamic, geo_shape::line_centroid, "geo-line-centroid-function", "The centroid of a GeoJSON line or multiline, as a GeoJSON point";
            GeoAzimuth = "geo_azimuth" ("num, num, num, num") -> Real, geo_shape::azimuth, "geo-azimuth-function", "The direction from one point to another, radians clockwise from north: geo_azimuth(lon1, lat1, lon2, lat2)";
            GeoAngle = "geo_angle" ("num, num, num, num, num, num") -> Real, geo_shape::geo_angle, "geo-angle-function", "The clockwise angle at p2 from line p1-p2 to line p2-p3, in radians";
            GeoDistancePointToLine = "geo_distance_point_to_line" ("num, num, dynamic") -> Real, geo_shape::distance_point_to_line, "geo-distance-point-to-line-function", "The distance in meters from a point to a GeoJSON line or multiline";
            GeoDistancePointToPolygon = "geo_distance_point_to_polygon" ("num, num, dynamic") -> Real, geo_shape::distance_point_to_polygon, "geo-distance-point-to-polygon-function", "The distance in meters from a point to a GeoJSON polygon (0 inside it)";
            GeoIntersects2lines = "geo_intersects_2lines" ("dynamic, dynamic") -> Bool, geo_shape::intersects_2lines, "geo-intersects-2lines-function", "Do two GeoJSON lines cross or touch?";
            GeoIntersection2lines = "geo_intersection_2lines" ("dynamic, dynamic") -> Dynamic, geo_shape::intersection_2lines, "geo-intersection-2lines-function", "What two GeoJSON lines share: a point, a line, several, or an empty collection";
            GeoIntersects2polygons = "geo_intersects_2polygons" ("dynamic, dynamic") -> Bool, geo_shape::intersects_2polygons, "geo-intersects-2polygons-function", "Do two GeoJSON polygons share any point?";
            GeoIntersectsLineWithPolygon = "geo_intersects_line_with_polygon" ("dynamic, dynamic") -> Bool, geo_shape::intersects_line_with_polygon, "geo-intersects-line-with-polygon-function", "Does a GeoJSON line touch or enter a polygon?";
            GeoClosestPointOnLine = "geo_closest_point_on_line" ("num, num, dynamic") -> Dynamic, geo_shape::closest_point_on_line, "geo-closest-point-on-line-function", "The point of a GeoJSON line nearest to a point";
            GeoClosestPointOnPolygon = "geo_closest_point_on_polygon" ("num, num, dynamic") -> Dynamic, geo_shape::closest_point_on_polygon, "geo-closest-point-on-polygon-function", "The point of a GeoJSON polygon nearest to a point (the point itself inside)";
            GeoLineInterpolatePoint = "geo_line_interpolate_point" ("dynamic, num") -> Dynamic, geo_shape::line_interpolate_point, "geo-line-interpolate-point-function", "The point a fraction (0 to 1) of the way along a GeoJSON line";
            GeoLineLocatePoint = "geo_line_locate_point" ("dynamic, num, num") -> Real, geo_shape::line_locate_point, "geo-line-locate-point-function", "How far along a GeoJSON line (0 to 1) its point nearest to a point lies";
            GeoLineDensify = "geo_line_densify" ("dynamic, num?, bool?") -> Dynamic, geo_shape::line_densify, "geo-line-densify-function", "A GeoJSON line with points added so its planar edges follow geodesics within a tolerance (meters, default 10)";
            GeoPolygonDensify = "geo_polygon_densify" ("dynamic, num?, bool?") -> Dynamic, geo_shape::polygon_densify, "geo-polygon-densify-function", "A GeoJSON polygon with points added so its planar edges follow geodesics within a tolerance (meters, default 10)";
            GeoFromWkt = "geo_from_wkt" ("string") -> Dynamic, geo_wkt::from_wkt, "geo-from-wkt-function", "Well-Known Text (POINT (1 2), POLYGON ((...)), ...) as a GeoJSON value";
            Ipv4IsMatch = "ipv4_is_match" ("string, string, num?") -> Bool, ip::ipv4_is_match, "ipv4-is-match-function", "Are two IPv4 addresses equal on their prefix? ipv4_is_match('10.1.2.3/24', '10.1.2.200')";
            ParseIpv4Mask = "parse_ipv4_mask" ("string, num") -> Long, ip::parse_ipv4_mask, "parse-ipv4-mask-function", "An IPv4 address masked to a prefix, as a long";
            FormatIpv4 = "format_ipv4" ("any, num?") -> String, ip::format_ipv4, "format-ipv4-function", "An IPv4 address (string or long) masked to a prefix, in dotted form";
            FormatIpv4Mask = "format_ipv4_mask" ("any, num?") -> String, ip::format_ipv4_mask, "format-ipv4-mask-function", "An IPv4 address masked to a prefix, as a.b.c.d/prefix";
            HasIpv4 = "has_ipv4" ("string, string") -> Bool, ip::has_ipv4, "has-ipv4-function", "Is this IPv4 address written in the text (not glued to other characters)?";
            HasIpv4Prefix = "has_ipv4_prefix" ("string, string") -> Bool, ip::has_ipv4_prefix, "has-ipv4-prefix-function", "Is an IPv4 address starting with this prefix ('10.1.') written in the text?";
            HasAnyIpv4 = "has_any_ipv4" ("string, any, any*") -> Bool, ip::has_any_ipv4, "has-any-ipv4-function", "Is any of these IPv4 addresses written in the text?";
            HasAnyIpv4Prefix = "has_any_ipv4_prefix" ("string, any, any*") -> Bool, ip::has_any_ipv4_prefix, "has-any-ipv4-prefix-function", "Is an IPv4 address starting with any of these prefixes written in the text?";
            Ipv6Compare = "ipv6_compare" ("string, string, num?") -> Int, ip::ipv6_compare, "ipv6-compare-function", "Compares two IPv6 (or IPv4) addresses: -1, 0 or 1";
            Ipv6IsMatch = "ipv6_is_match" ("string, string, num?") -> Bool, ip::ipv6_is_match, "ipv6-is-match-function", "Are two IPv6 (or IPv4) addresses equal on their prefix?";
            Ipv6IsInRange = "ipv6_is_in_range" ("string, string") -> Bool, ip::ipv6_is_in_range, "ipv6-is-in-range-function", "Is the IPv6 address in the prefix range?";
            Ipv6IsInAnyRange = "ipv6_is_in_any_range" ("string, any, any*") -> Bool, ip::ipv6_is_in_any_range, "ipv6-is-in-any-range-function", "Is the IPv6 address in any of the ranges?";
            // dynamic
            ArrayLength = "array_length" ("array") -> Long, dynamic::row, "array-length-function", "The number of elements of an array (null if not an array)";
            PackArray = "pack_array" ("any, any*") -> Dynamic, dynamic::row, "pack-array-function", "Builds an array";
            BagPack = "bag_pack" ("any*") -> {pairs_type}, dynamic::row, "pack-function", "Builds a property bag from key, value pairs";
            Pack = "pack" ("any*") -> {pairs_type}, dynamic::row, "pack-function", "Builds a property bag from key, value pairs";
            BagKeys = "bag_keys" ("dynamic") -> Dynamic, dynamic::row, "bag-keys-function", "The keys of a property bag";
            BagHasKey = "bag_has_key" ("dynamic, string") -> Bool, dynamic::row, "bag-has-key-function", "Does the bag have the key?";
            BagMerge = "bag_merge" ("array, array*") -> Dynamic, dynamic::row, "bag-merge-function", "Merges property bags";
            ArrayConcat = "array_concat" ("array, array*") -> Dynamic, dynamic::row, "array-concat-function", "Concatenates arrays";
            ArraySlice = "array_slice" ("array, num, num") -> Dynamic, dynamic::row, "array-slice-function", "A slice of an array: array_slice(arr, start, end)";
            ArraySortAsc = "array_sort_asc" ("dynamic, any*") -> Dynamic, dynamic::row, "array-sort-asc-function", "Sorts an array ascending (and more arrays in the same order): array_sort_asc(a1[, a2, ...][, nulls_last])";
            ArraySortDesc = "array_sort_desc" ("dynamic, any*") -> Dynamic, dynamic::row, "array-sort-desc-function", "Sorts an array descending (and more arrays in the same order)";
            ArrayIndexOf = "array_index_of" ("array, any, num?, num?, num?") -> Long, misc::array_index_of, "array-index-of-function", "The position of a value in an array, or -1";
            ArrayReverse = "array_reverse" ("dynamic") -> Dynamic, dynamic::row, "array-reverse-function", "Reverses an array";
            ArraySum = "array_sum" ("array") -> Real, dynamic::row, "array-sum-function", "The sum of a numeric array";
            SetHasElement = "set_has_element" ("array, any") -> Bool, dynamic::row, "set-has-element-function", "Does the array contain the value?";
            SetDifference = "set_difference" ("array, array, array*") -> Dynamic, dynamic::row, "set-difference-function", "Distinct values of the first array that are in no other";
            SetUnion = "set_union" ("array, array, array*") -> Dynamic, dynamic::row, "set-union-function", "Distinct values of all arrays";
            SetIntersect = "set_intersect" ("array, array, array*") -> Dynamic, dynamic::row, "set-intersect-function", "Distinct values found in every array";
            StrcatArray = "strcat_array" ("array, string") -> String, general, "strcat-array-function", "Joins an array's values with a delimiter";
            Range = "range" ("any, any, any?") -> {range_type}, range, "range-function", "An array of numbers or datetimes: range(start, stop[, step])";
            PackAll = "pack_all" ("any?") -> Dynamic, dynamic::row, "pack-all-function", "A property bag of all the row's columns";
            BagPackColumns = "bag_pack_columns" ("any, any*") -> Dynamic, binder_only, "bag-pack-columns-function", "A property bag of the given columns, keyed by their names";
            ExtractJson = "extract_json" ("string, string, any?") -> String, general, "extract-json-function", "A JSONPath element of a JSON text: extract_json('$.a.b', text)";
            ExtractJsonOld = "extractjson" ("string, string, any?") -> String, general, "extract-json-function", "A JSONPath element of a JSON text (old name of extract_json)";
            ParseXml = "parse_xml" ("string") -> Dynamic, general, "parse-xml-function", "XML text converted to a dynamic value";
            ArrayIff = "array_iff" ("any, any, any") -> Dynamic, dynamic::row, "array-iff-function", "Element-wise iff over arrays";
            BagRemoveKeys = "bag_remove_keys" ("bag, keys") -> Dynamic, dynamic::row, "bag-remove-keys-function", "A property bag without the given keys";
            Zip = "zip" ("array, array, array*") -> Dynamic, dynamic::row, "zip-function", "Pairs up the elements of several arrays";
            BagZip = "bag_zip" ("array, array") -> Dynamic, dynamic::bag_zip, "bag-zip", "A property bag from an array of keys and an array of values";
            BagSetKey = "bag_set_key" ("bag, string, any") -> Dynamic, dynamic::bag_set_key, "bag-set-key-function", "A property bag with a key (or $.path) set to a value";
            ArrayRotateLeft = "array_rotate_left" ("array, num") -> Dynamic, dynamic::array_rotate_left, "array-rotate-left-function", "An array rotated left by a number of positions";
            ArrayRotateRight = "array_rotate_right" ("array, num") -> Dynamic, dynamic::array_rotate_right, "array-rotate-right-function", "An array rotated right by a number of positions";
            ArrayShiftLeft = "array_shift_left" ("array, num, any?") -> Dynamic, dynamic::array_shift_left, "array-shift-left-function", "An array shifted left, the freed places filled with null or a default";
            ArrayShiftRight = "array_shift_right" ("array, num, any?") -> Dynamic, dynamic::array_shift_right, "array-shift-right-function", "An array shifted right, the freed places filled with null or a default";
            ArraySplit = "array_split" ("array, any") -> Dynamic, dynamic::array_split, "array-split-function", "An array cut at one index or an array of indexes, as an array of arrays";
            SeriesDecomposeAnomalies = "series_decompose_anomalies" ("series, any?, any?, any?, any?, any?, any?") -> Dynamic, series::row, "series-decompose-anomalies-function", "Anomaly flags, scores and baseline of a series: (flag, score, baseline) = series_decompose_anomalies(s)";
            SeriesDecompose = "series_decompose" ("series, any?, any?, any?, any?") -> Dynamic, series::row, "series-decompose-function", "Baseline, seasonal, trend and residual of a series";
            SeriesOutliers = "series_outliers" ("series, any?, any?, any?, any?") -> Dynamic, series::row, "series-outliers-function", "Tukey-fence anomaly scores of a series";
            SeriesFillForward = "series_fill_forward" ("series, any?") -> Dynamic, series::series_fill_forward, "series-fill-forward-function", "A series with missing values filled from the value before them";
            SeriesFillBackward = "series_fill_backward" ("series, any?") -> Dynamic, series::series_fill_backward, "series-fill-backward-function", "A series with missing values filled from the value after them";
            SeriesFillConst = "series_fill_const" ("series, any, any?") -> Dynamic, series::series_fill_const, "series-fill-const-function", "A series with missing values replaced by a constant";
            SeriesFillLinear = "series_fill_linear" ("series, any?, bool?, any?") -> Dynamic, series::series_fill_linear, "series-fill-linear-function", "A series with missing values interpolated on straight lines";
            SeriesStats = "series_stats" ("series, bool?") -> Dynamic, series::series_stats, "series-stats-function", "Min, max (and their positions), average, stdev and variance of a series, one column each";
            SeriesStatsDynamic = "series_stats_dynamic" ("series, bool?") -> Dynamic, series::series_stats_dynamic, "series-stats-dynamic-function", "Statistics of a series as a property bag (min, max, avg, stdev, sum, len...)";
            SeriesFir = "series_fir" ("series, array, bool?, bool?") -> Dynamic, series::series_fir, "series-fir-function", "A finite impulse response filter over a series (moving averages, differences)";
            SeriesIir = "series_iir" ("series, array, array") -> Dynamic, series::series_iir, "series-iir-function", "An infinite impulse response filter over a series (cumulative sums...)";
            DynamicToJson = "dynamic_to_json" ("any") -> String, dynamic::row, "dynamic-to-json-function", "A dynamic value as JSON text";
            // logic
            Iff = "iff" ("bool, any, any") -> {iff_type}, general, "iff-function", "iff(condition, then, else)";
            Iif = "iif" ("bool, any, any") -> {iff_type}, general, "iff-function", "iif(condition, then, else)";
            Case = "case" ("any, any, any, any*") -> {case_type}, general, "case-function", "case(cond1, value1, cond2, value2, ..., else)";
            Coalesce = "coalesce" ("any, any*") -> {common_of_all}, general, "coalesce-function", "The first value that is not null (or empty)";
            IsEmpty = "isempty" ("any") -> Bool, general, "isempty-function", "Is the value null or an empty string?";
            IsNotEmpty = "isnotempty" ("any") -> Bool, general, "isnotempty-function", "Is the value neither null nor an empty string?";
            IsNull = "isnull" ("any") -> Bool, general, "isnull-function", "Is the value null?";
            IsNotNull = "isnotnull" ("any") -> Bool, general, "isnotnull-function", "Is the value not null?";
            Not = "not" ("bool") -> Bool, general, "not-function", "Logical negation";
            IsNan = "isnan" ("num") -> Bool, general, "isnan-function", "Is the real NaN?";
            IsInf = "isinf" ("num") -> Bool, general, "isinf-function", "Is the real infinite?";
            IsFinite = "isfinite" ("num") -> Bool, general, "isfinite-function", "Is the real finite?";
            // math
            Abs = "abs" ("any") -> {abs_type}, general, "abs-function", "Absolute value";
            Round = "round" ("num, num?") -> {same_number}, general, "round-function", "Rounds to a number of decimals";
            Ceiling = "ceiling" ("num") -> {same_number}, general, "ceiling-function", "Smallest integer not below the value";
            Sqrt = "sqrt" ("num") -> Real, general, "sqrt-function", "Square root";
            Pow = "pow" ("num, num") -> Real, general, "pow-function", "Power";
            Log = "log" ("num") -> Real, general, "log-function", "Natural logarithm";
            Log10 = "log10" ("num") -> Real, general, "log10-function", "Base-10 logarithm";
            Log2 = "log2" ("num") -> Real, general, "log2-function", "Base-2 logarithm";
            Exp = "exp" ("num") -> Real, general, "exp-function", "e to the power";
            Sign = "sign" ("any") -> {abs_type}, general, "sign-function", "-1, 0 or 1";
            MinOf = "min_of" ("any, any, any*") -> {common_of_all}, general, "min-of-function", "The smallest argument";
            MaxOf = "max_of" ("any, any, any*") -> {common_of_all}, general, "max-of-function", "The largest argument";
            // tabular-context helpers
            RowNumber = "row_number" ("num?, any?") -> Long, binder_only, "row-number-function", "The row's position after serialize/sort";
            Prev = "prev" ("any, num?, any?") -> {first_arg}, binder_only, "prev-function", "The value in an earlier row (after serialize/sort)";
            Next = "next" ("any, num?, any?") -> {first_arg}, binder_only, "next-function", "The value in a later row (after serialize/sort)";
            ColumnIfExists = "column_ifexists" ("any, any") -> {binder}, binder_only, "column-ifexists-function", "A column if it exists, else a default";
            ToScalar = "toscalar" ("any") -> {binder}, binder_only, "toscalar-function", "The first cell of a tabular expression";
            ColumnNamesOf = "column_names_of" ("any") -> Dynamic, binder_only, "column-names-of-function", "The column names of a tabular expression, as an array";
            Materialize = "materialize" ("any") -> {binder}, binder_only, "materialize-function", "Caches a tabular expression's result";
            // the long tail (session 5)
            Sin = "sin" ("num") -> Real, math::sin, "sin-function", "Sine of an angle in radians";
            Cos = "cos" ("num") -> Real, math::cos, "cos-function", "Cosine of an angle in radians";
            Tan = "tan" ("num") -> Real, math::tan, "tan-function", "Tangent of an angle in radians";
            Cot = "cot" ("num") -> Real, math::cot, "cot-function", "Cotangent of an angle in radians";
            Asin = "asin" ("num") -> Real, math::asin, "asin-function", "Arc sine in radians (null outside [-1, 1])";
            Acos = "acos" ("num") -> Real, math::acos, "acos-function", "Arc cosine in radians (null outside [-1, 1])";
            Atan = "atan" ("num") -> Real, math::atan, "atan-function", "Arc tangent in radians";
            Degrees = "degrees" ("num") -> Real, math::degrees, "degrees-function", "Radians converted to degrees";
            Radians = "radians" ("num") -> Real, math::radians, "radians-function", "Degrees converted to radians";
            Exp2 = "exp2" ("num") -> Real, math::exp2, "exp2-function", "2 to the power";
            Exp10 = "exp10" ("num") -> Real, math::exp10, "exp10-function", "10 to the power";
            Gamma = "gamma" ("num") -> Real, math::gamma, "gamma-function", "The gamma function (gamma(5) is 24)";
            LogGamma = "loggamma" ("num") -> Real, math::loggamma, "loggamma-function", "The natural logarithm of the absolute gamma function";
            Erf = "erf" ("num") -> Real, math::erf, "erf-function", "The error function";
            Erfc = "erfc" ("num") -> Real, math::erfc, "erfc-function", "The complementary error function, 1 - erf(x)";
            Atan2 = "atan2" ("num, num") -> Real, math::atan2, "atan2-function", "The angle of the point (x, y) in radians: atan2(y, x)";
            Pi = "pi" ("") -> Real, math::pi, "pi-function", "The constant pi";
            BetaCdf = "beta_cdf" ("num, num, num") -> Real, math::beta_cdf, "beta-cdf-function", "The beta distribution's cumulative probability: beta_cdf(x, alpha, beta)";
            BetaPdf = "beta_pdf" ("num, num, num") -> Real, math::beta_pdf, "beta-pdf-function", "The beta distribution's density: beta_pdf(x, alpha, beta)";
            BetaInv = "beta_inv" ("num, num, num") -> Real, math::beta_inv, "beta-inv-function", "The inverse of beta_cdf: beta_inv(probability, alpha, beta)";
            BinaryAnd = "binary_and" ("num, num") -> Long, binary::binary_and, "binary-and-function", "Bitwise AND of two integers";
            BinaryOr = "binary_or" ("num, num") -> Long, binary::binary_or, "binary-or-function", "Bitwise OR of two integers";
            BinaryXor = "binary_xor" ("num, num") -> Long, binary::binary_xor, "binary-xor-function", "Bitwise XOR of two integers";
            BinaryNot = "binary_not" ("num") -> Long, binary::binary_not, "binary-not-function", "Bitwise NOT of an integer";
            BinaryShiftLeft = "binary_shift_left" ("num, num") -> Long, binary::binary_shift_left, "binary-shift-left-function", "An integer shifted left by n mod 64 bits";
            BinaryShiftRight = "binary_shift_right" ("num, num") -> Long, binary::binary_shift_right, "binary-shift-right-function", "An integer shifted right by n mod 64 bits";
            BitsetCountOnes = "bitset_count_ones" ("num") -> Long, binary::bitset_count_ones, "bitset-count-ones-function", "The number of 1 bits of an integer";
            ConvertAngle = "convert_angle" ("num, string, string") -> Real, convert::convert_angle, "convert-angle-function", "A angle converted between units: convert_angle(value, 'From', 'To')";
            ConvertEnergy = "convert_energy" ("num, string, string") -> Real, convert::convert_energy, "convert-energy-function", "A energy converted between units: convert_energy(value, 'From', 'To')";
            ConvertForce = "convert_force" ("num, string, string") -> Real, convert::convert_force, "convert-force-function", "A force converted between units: convert_force(value, 'From', 'To')";
            ConvertLength = "convert_length" ("num, string, string") -> Real, convert::convert_length, "convert-length-function", "A length converted between units: convert_length(value, 'From', 'To')";
            ConvertMass = "convert_mass" ("num, string, string") -> Real, convert::convert_mass, "convert-mass-function", "A mass converted between units: convert_mass(value, 'From', 'To')";
            ConvertSpeed = "convert_speed" ("num, string, string") -> Real, convert::convert_speed, "convert-speed-function", "A speed converted between units: convert_speed(value, 'From', 'To')";
            ConvertTemperature = "convert_temperature" ("num, string, string") -> Real, convert::convert_temperature, "convert-temperature-function", "A temperature converted between units: convert_temperature(value, 'From', 'To')";
            ConvertVolume = "convert_volume" ("num, string, string") -> Real, convert::convert_volume, "convert-volume-function", "A volume converted between units: convert_volume(value, 'From', 'To')";
            SeriesAbs = "series_abs" ("series") -> Dynamic, series_math::series_abs, "series-abs-function", "abs() of every element of a series";
            SeriesSign = "series_sign" ("series") -> Dynamic, series_math::series_sign, "series-sign-function", "sign() of every element of a series";
            SeriesCeiling = "series_ceiling" ("series") -> Dynamic, series_math::series_ceiling, "series-ceiling-function", "ceiling() of every element of a series";
            SeriesFloor = "series_floor" ("series") -> Dynamic, series_math::series_floor, "series-floor-function", "floor() of every element of a series";
            SeriesExp = "series_exp" ("series") -> Dynamic, series_math::series_exp, "series-exp-function", "exp() of every element of a series";
            SeriesLog = "series_log" ("series") -> Dynamic, series_math::series_log, "series-log-function", "log() of every element of a series";
            SeriesSin = "series_sin" ("series") -> Dynamic, series_math::series_sin, "series-sin-function", "sin() of every element of a series";
            SeriesCos = "series_cos" ("series") -> Dynamic, series_math::series_cos, "series-cos-function", "cos() of every element of a series";
            SeriesTan = "series_tan" ("series") -> Dynamic, series_math::series_tan, "series-tan-function", "tan() of every element of a series";
            SeriesAsin = "series_asin" ("series") -> Dynamic, series_math::series_asin, "series-asin-function", "asin() of every element of a series";
            SeriesAcos = "series_acos" ("series") -> Dynamic, series_math::series_acos, "series-acos-function", "acos() of every element of a series";
            SeriesAtan = "series_atan" ("series") -> Dynamic, series_math::series_atan, "series-atan-function", "atan() of every element of a series";
            SeriesAdd = "series_add" ("any, any") -> Dynamic, series_math::series_add, "series-add-function", "Element-wise sum of two series (or a series and a number)";
            SeriesSubtract = "series_subtract" ("any, any") -> Dynamic, series_math::series_subtract, "series-subtract-function", "Element-wise difference of two series";
            SeriesMultiply = "series_multiply" ("any, any") -> Dynamic, series_math::series_multiply, "series-multiply-function", "Element-wise product of two series";
            SeriesDivide = "series_divide" ("any, any") -> Dynamic, series_math::series_divide, "series-divide-function", "Element-wise quotient of two series (always real)";
            SeriesPow = "series_pow" ("any, any") -> Dynamic, series_math::series_pow, "series-pow-function", "Element-wise power of two series";
            SeriesEquals = "series_equals" ("any, any") -> Dynamic, series_math::series_equals, "series-equals-function", "Element-wise == of two series";
            SeriesNotEquals = "series_not_equals" ("any, any") -> Dynamic, series_math::series_not_equals, "series-not-equals-function", "Element-wise != of two series";
            SeriesGreater = "series_greater" ("any, any") -> Dynamic, series_math::series_greater, "series-greater-function", "Element-wise > of two series";
            SeriesGreaterEquals = "series_greater_equals" ("any, any") -> Dynamic, series_math::series_greater_equals, "series-greater-equals-function", "Element-wise >= of two series";
            SeriesLess = "series_less" ("any, any") -> Dynamic, series_math::series_less, "series-less-function", "Element-wise < of two series";
            SeriesLessEquals = "series_less_equals" ("any, any") -> Dynamic, series_math::series_less_equals, "series-less-equals-function", "Element-wise <= of two series";
            SeriesSum = "series_sum" ("series") -> Real, series_math::series_sum, "series-sum-function", "The sum of a series' elements";
            SeriesProduct = "series_product" ("series") -> Real, series_math::series_product, "series-product-function", "The product of a series' elements";
            SeriesMagnitude = "series_magnitude" ("series") -> Real, series_math::series_magnitude, "series-magnitude-function", "The Euclidean length of a series";
            SeriesDotProduct = "series_dot_product" ("any, any") -> Real, series_math::series_dot_product, "series-dot-product-function", "The dot product of two series";
            SeriesCosineSimilarity = "series_cosine_similarity" ("any, any, num?, num?") -> Real, series_math::series_cosine_similarity, "series-cosine-similarity-function", "The cosine similarity of two series";
            SeriesPearsonCorrelation = "series_pearson_correlation" ("series, series") -> Real, series_math::series_pearson_correlation, "series-pearson-correlation-function", "The Pearson correlation of two series";
            SeriesSeasonal = "series_seasonal" ("series, num?") -> Dynamic, series_math::series_seasonal, "series-seasonal-function", "The seasonal component of a series: the median of the points in the same phase";
            Base64DecodeToArray = "base64_decode_toarray" ("string") -> Dynamic, misc::base64_decode_toarray, "base64-decode-toarray-function", "Decodes base64 into an array of byte values";
            Base64EncodeFromArray = "base64_encode_fromarray" ("array") -> String, misc::base64_encode_fromarray, "base64-encode-fromarray-function", "Encodes an array of byte values as base64";
            Base64DecodeToGuid = "base64_decode_toguid" ("string") -> Guid, misc::base64_decode_toguid, "base64-decode-toguid-function", "Decodes 16 base64-encoded bytes into a guid";
            Base64EncodeFromGuid = "base64_encode_fromguid" ("any") -> String, misc::base64_encode_fromguid, "base64-encode-fromguid-function", "Encodes a guid's 16 bytes as base64";
            Around = "around" ("any, any, any") -> Bool, misc::around, "around-function", "Is a value within delta of a center? around(Timestamp, datetime(2026-01-01), 1h)";
            HasAnyIndex = "has_any_index" ("string, array") -> Long, misc::has_any_index, "has-any-index-function", "The position of the first array value the text has (as a term), or -1";
            IndexOfRegex = "indexof_regex" ("string, string, num?, num?, num?") -> Long, misc::indexof_regex, "indexof-regex-function", "The 0-based position of a regex match, or -1";
            IsAscii = "isascii" ("string") -> Bool, misc::isascii, "isascii", "Is the text plain ASCII?";
            IsUtf8 = "isutf8" ("string") -> Bool, misc::isutf8, "isutf8-function", "Is the text valid UTF-8?";
            JaccardIndex = "jaccard_index" ("array, array") -> Real, misc::jaccard_index, "jaccard-index-function", "Shared distinct values over all distinct values of two arrays";
            RegexQuote = "regex_quote" ("string") -> String, misc::regex_quote, "regex-quote-function", "Escapes the regex metacharacters of a text";
            UnixtimeMicrosecondsToDatetime = "unixtime_microseconds_todatetime" ("num") -> DateTime, misc::unixtime_microseconds_todatetime, "unixtime-microseconds-todatetime-function", "Microseconds since 1970 as a datetime";
            UnixtimeNanosecondsToDatetime = "unixtime_nanoseconds_todatetime" ("num") -> DateTime, misc::unixtime_nanoseconds_todatetime, "unixtime-nanoseconds-todatetime-function", "Nanoseconds since 1970 as a datetime";
            Ipv4NetmaskSuffix = "ipv4_netmask_suffix" ("string") -> Long, misc::ipv4_netmask_suffix, "ipv4-netmask-suffix-function", "The /prefix of an IPv4 address (32 without one)";
            Ipv4RangeToCidrList = "ipv4_range_to_cidr_list" ("string, string") -> Dynamic, misc::ipv4_range_to_cidr_list, "ipv4-range-to-cidr-list-function", "The CIDR blocks that cover an IPv4 address range";
            ParseUrlQuery = "parse_urlquery" ("string") -> Dynamic, misc::parse_urlquery, "parse-url-query-function", "The parameters of a URL query string, as a property bag";
            ParseCsv = "parse_csv" ("string") -> Dynamic, misc::parse_csv, "parse-csv-function", "The first record of comma-separated text, as an array of strings";
            ParseIpv6Mask = "parse_ipv6_mask" ("string, num") -> String, misc::parse_ipv6_mask, "parse-ipv6-mask-function", "An IPv6 (or IPv4) address in canonical IPv6 form, masked to a prefix";
            DcountHll = "dcount_hll" ("dynamic") -> Long, sketch::dcount_hll, "dcount-hll-function", "The distinct count of an hll() summary";
            DatetimeUtcToLocal = "datetime_utc_to_local" ("datetime, string") -> DateTime, tz::datetime_utc_to_local, "datetime-utc-to-local-function", "A UTC datetime as the wall-clock time of a time zone: datetime_utc_to_local(t, 'Europe/Paris')";
            DatetimeLocalToUtc = "datetime_local_to_utc" ("datetime, string") -> DateTime, tz::datetime_local_to_utc, "datetime-local-to-utc-function", "A time zone's wall-clock time as UTC: datetime_local_to_utc(t, 'US/Pacific')";
            HllMergeScalar = "hll_merge" ("dynamic, dynamic, dynamic*") -> Dynamic, sketch::hll_merge, "hll-merge-function", "Merges hll() summaries into one: hll_merge(h1, h2)";
            MergeTdigest = "merge_tdigest" ("dynamic, dynamic*") -> Dynamic, sketch::merge_tdigest, "merge-tdigest-function", "Merges tdigest() summaries into one";
            PercentileTdigest = "percentile_tdigest" ("dynamic, num, any?") -> Real, sketch::percentile_tdigest, "percentile-tdigest-function", "A percentile of a tdigest() summary: percentile_tdigest(t, 95)";
            PercentilesArrayTdigest = "percentiles_array_tdigest" ("dynamic, any, any*") -> Dynamic, sketch::percentiles_array_tdigest, "percentile-array-tdigest-function", "Several percentiles of a tdigest() summary, as an array";
            RankTdigest = "rank_tdigest" ("dynamic, any") -> Long, sketch::rank_tdigest, "rank-tdigest-function", "How many values of a tdigest() summary are at or below a value";
            PercentrankTdigest = "percentrank_tdigest" ("dynamic, any") -> Real, sketch::percentrank_tdigest, "percentrank-tdigest-function", "The percentage of a tdigest() summary's values at or below a value";
            WelchTest = "welch_test" ("num, num, num, num, num, num") -> Real, math::welch_test, "welch-test-function", "The p-value of Welch's t-test from two samples' mean, variance and count";
            Assert = "assert" ("bool, string") -> Bool, misc::assert, "assert-function", "True if the condition holds, else the query stops with the message";
            PunycodeFromString = "punycode_from_string" ("string") -> String, punycode::punycode_from_string, "punycode-from-string-function", "A Unicode label in punycode (RFC 3492), without the xn-- prefix";
            PunycodeToString = "punycode_to_string" ("string") -> String, punycode::punycode_to_string, "punycode-to-string-function", "A punycode label decoded back to Unicode";
            PunycodeDomainToString = "punycode_domain_to_string" ("string") -> String, punycode::punycode_domain_to_string, "punycode-domain-to-string-function", "A domain with each non-ASCII label as xn--punycode";
            PunycodeDomainFromString = "punycode_domain_from_string" ("string") -> String, punycode::punycode_domain_from_string, "punycode-domain-from-string-function", "A domain with each xn-- label decoded to Unicode";
            GzipCompressToBase64String = "gzip_compress_to_base64_string" ("string") -> String, compress::gzip_compress_to_base64_string, "gzip-base64-compress", "The text gzip-compressed (stored blocks) and base64-encoded";
            GzipDecompressFromBase64String = "gzip_decompress_from_base64_string" ("string") -> String, compress::gzip_decompress_from_base64_string, "gzip-base64-decompress", "The text of base64-encoded gzip data (empty if it is not valid)";
            ZlibCompressToBase64String = "zlib_compress_to_base64_string" ("string") -> String, compress::zlib_compress_to_base64_string, "zlib-base64-compress-function", "The text zlib-compressed (stored blocks) and base64-encoded";
            ZlibDecompressFromBase64String = "zlib_decompress_from_base64_string" ("string") -> String, compress::zlib_decompress_from_base64_string, "zlib-base64-decompress-function", "The text of base64-encoded zlib data (empty if it is not valid)";
        }
    };
}

pub(crate) use function_table;
