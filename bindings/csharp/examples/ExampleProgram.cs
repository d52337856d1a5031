// SPDX-License-Identifier: GPL-2.0-or-later
// Lists the devices of a context, as iio_info's "IIO context has N devices" part does.
using System;
using iio;

class ExampleProgram
{
    static int Main(string[] args)
    {
        string uri = null;
        for (int i = 0; i < args.Length; i++)
            if ((args[i] == "-u" || args[i] == "--uri") && i + 1 < args.Length)
                uri = args[++i];

        Context ctx;
        try {
            ctx = new Context(uri);
        } catch (IIOException e) {
            Console.Error.WriteLine(e.Message);
            return 1;
        }
        using (ctx) {
            Console.WriteLine("Library version: " + IioLib.library_version);
            Console.WriteLine("IIO context created with " + ctx.name + " backend.");
            Console.WriteLine("IIO context has " + ctx.devices.Count + " devices:");
            foreach (Device dev in ctx.devices) {
                string label = dev.label != null ? " (label: " + dev.label + ")" : "";
                string name = dev.name != null ? " " + dev.name : "";
                Console.WriteLine("\t" + dev.id + ":" + name + label);
                Console.WriteLine("\t\t" + dev.channels.Count + " channels found:");
                foreach (Channel chn in dev.channels)
                    Console.WriteLine("\t\t\t" + chn.id + ": " + (chn.name ?? "") +
                                      " (" + (chn.output ? "output" : "input") + ")");
            }
        }
        return 0;
    }
}
