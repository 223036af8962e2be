using System.Collections.Generic;

namespace AutoGrad.CodeAnalysis.Helpers
{
    /// <summary>
    /// Hands out identifiers that collide neither with the user's names nor with each other. Deterministic:
    /// the same requests in the same order give the same names.
    /// </summary>
    internal sealed class NameGenerator
    {
        private readonly HashSet<string> _taken;

        public NameGenerator(IEnumerable<string> reserved)
        {
            _taken = new HashSet<string>(reserved, System.StringComparer.Ordinal);
        }

        /// <summary>Marks <paramref name="name"/> as used; returns false if it already was.</summary>
        public bool Reserve(string name) => _taken.Add(name);

        public bool IsTaken(string name) => _taken.Contains(name);

        /// <summary><paramref name="stem"/> itself if free, else <c>stem_1</c>, <c>stem_2</c>, ….</summary>
        public string Fresh(string stem)
        {
            if (_taken.Add(stem)) return stem;
            for (int i = 1; ; i++)
            {
                string candidate = stem + "_" + i.ToString(System.Globalization.CultureInfo.InvariantCulture);
                if (_taken.Add(candidate)) return candidate;
            }
        }

        /// <summary><c>stem0</c>, <c>stem1</c>, … the first that is free.</summary>
        public string FreshNumbered(string stem, ref int counter)
        {
            while (true)
            {
                string candidate = stem + counter.ToString(System.Globalization.CultureInfo.InvariantCulture);
                counter++;
                if (_taken.Add(candidate)) return candidate;
            }
        }

        /// <summary>The gradient name of <paramref name="name"/>: <c>d</c> and the name with its first letter upper-cased.</summary>
        public static string GradientName(string name)
        {
            if (name.Length == 0) return "d";
            return "d" + char.ToUpperInvariant(name[0]) + name.Substring(1);
        }
    }
}
